package dev.switchboard.cluster;

import com.hazelcast.config.Config;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.OfflineMailbox;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What nodes write to each other and into the registry, and the Hazelcast configuration the flags make. */
class ClusterFrameTest {

  @Test
  void relayAndCollectRoundTrip() {
    byte[] message = "{\"type\":\"OFFER\",\"dst\":\"bób\",\"src\":\"alice\"}".getBytes(StandardCharsets.UTF_8);
    ClusterFrame.Relay relay = ClusterFrame.readRelay(ClusterFrame.relay("alice", MessageType.OFFER, "bób", message, 123456789L));
    assertEquals("alice", relay.from());
    assertEquals(MessageType.OFFER, relay.type());
    assertEquals("bób", relay.dst());
    assertEquals(123456789L, relay.order());
    assertArrayEquals(message, relay.message());
    assertEquals(ClusterFrame.COLLECT, ClusterFrame.op(ClusterFrame.collect("bob", "node-1")));
    assertEquals(new ClusterFrame.Collect("bob", "node-1"), ClusterFrame.readCollect(ClusterFrame.collect("bob", "node-1")));
    List<OfflineMailbox.Pending> queued = List.of(new OfflineMailbox.Pending("a", new byte[] {1, 2}, 5),
        new OfflineMailbox.Pending("c", new byte[0], 7));
    List<OfflineMailbox.Pending> read = ClusterFrame.readQueued(ClusterFrame.queued(queued));
    assertEquals(2, read.size());
    assertEquals("c", read.get(1).sender());
    assertEquals(7, read.get(1).order());
    assertArrayEquals(new byte[] {1, 2}, read.get(0).message());
    ClusterFrame.Sent sent = ClusterFrame.readSent(ClusterFrame.sent("bób", "digest", message));
    assertEquals("bób", sent.id());
    assertEquals("digest", sent.tokenDigest());
    assertArrayEquals(message, sent.message());
    assertEquals(ClusterFrame.SENT, ClusterFrame.op(ClusterFrame.sent("bob", "d", new byte[0])));
  }

  @Test
  void relaysNameTheirTypeSoTypesANodeDoesNotKnowCrossUnchanged() {
    byte[] message = "{\"type\":\"CALL-INVITE\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    io.vertx.core.buffer.Buffer frame = ClusterFrame.relay("", MessageType.of("CALL-INVITE"), "bob", message, 42L);
    assertTrue(frame.toString(StandardCharsets.ISO_8859_1).contains("CALL-INVITE"));
    // Not the ordinal-typed relay ('R') of earlier nodes, which would misread this one.
    assertNotEquals((byte) 'R', ClusterFrame.op(frame));
    ClusterFrame.Relay relay = ClusterFrame.readRelay(frame);
    assertEquals(MessageType.of("CALL-INVITE"), relay.type());
    assertFalse(relay.type().queuedWhenAbsent());
    assertEquals("", relay.from());
    assertArrayEquals(message, relay.message());
    assertSame(MessageType.CANDIDATE, ClusterFrame.readRelay(ClusterFrame.relay("a", MessageType.CANDIDATE, "b", message, 1)).type());
  }

  @Test
  void endRequestsNameTheReason() {
    io.vertx.core.buffer.Buffer frame = ClusterFrame.end("bób", CloseReason.SUPERSEDED);
    assertEquals(ClusterFrame.END, ClusterFrame.op(frame));
    assertEquals(new ClusterFrame.End("bób", CloseReason.SUPERSEDED), ClusterFrame.readEnd(frame));
  }

  @Test
  void recordsKeepADigestNotTheTokenAndMatchTheirNodesPattern() {
    PeerRecord record = PeerRecord.of("node-1", "secret-token", null, 1_700_000_000_000L);
    String encoded = record.encode();
    assertFalse(encoded.contains("secret-token"));
    assertEquals(record, PeerRecord.parse(encoded));
    assertEquals(PeerRecord.digest("secret-token"), record.tokenDigest());
    assertNotEquals(record.connection(), PeerRecord.of("node-1", "secret-token", null, 1_700_000_000_000L).connection());
    assertTrue(encoded.startsWith(PeerRecord.ofNodePattern("node-1").replace("%", "")));
  }

  @Test
  void aRecordCarriesTheVerifiedUserEvenWithSeparatorsInIt() {
    PeerRecord record = PeerRecord.of("node-1", "t", "org|alice", 1L);
    assertEquals(record, PeerRecord.parse(record.encode()));
    assertEquals("org|alice", PeerRecord.parse(record.encode()).userId());
    assertEquals(null, PeerRecord.parse(PeerRecord.of("node-1", "t", null, 1L).encode()).userId());
  }

  @Test
  void flagsMakeATcpIpJoinWithoutMulticastAndFastFailureDetection() throws Exception {
    Config config = ClusteredVertx.hazelcastConfig(new SwitchboardOptions().setCluster(true)
        .setClusterHost("10.0.0.5").setClusterPort(5801).setClusterName("calls")
        .setClusterMembers(List.of("10.0.0.6:5801", "10.0.0.7:5801")));
    assertEquals("calls", config.getClusterName());
    assertEquals(5801, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertTrue(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertTrue(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers().containsAll(List.of("10.0.0.6:5801", "10.0.0.7:5801")));
    assertEquals("10.0.0.5", config.getProperty("hazelcast.local.localAddress"));
    assertEquals("5", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("false", config.getProperty("hazelcast.shutdownhook.enabled"));
  }

  @Test
  void theShippedHazelcastFilesLoad() throws Exception {
    java.nio.file.Path deploy = java.nio.file.Path.of(System.getProperty("user.dir"), "docs", "deploy", "cluster");
    Config tcp = ClusteredVertx.hazelcastConfig(new SwitchboardOptions()
        .setClusterConfig(deploy.resolve("hazelcast-tcp.yaml").toString()));
    assertTrue(tcp.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertFalse(tcp.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    Config kubernetes = ClusteredVertx.hazelcastConfig(new SwitchboardOptions()
        .setClusterConfig(deploy.resolve("hazelcast-kubernetes.yaml").toString()));
    assertTrue(kubernetes.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled());
    assertEquals("false", kubernetes.getProperty("hazelcast.shutdownhook.enabled"));
  }
}
