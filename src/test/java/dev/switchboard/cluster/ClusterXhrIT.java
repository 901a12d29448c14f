package dev.switchboard.cluster;

import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HttpGet;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An XHR peer's message POSTs may land on another node than its stream (a load balancer without sticky
 * sessions): that node checks the token and hands the frame to the stream's node, which routes it as
 * its own. One three-node cluster serves the whole class; every test uses ids of its own.
 */
class ClusterXhrIT {
  private static final Duration SOON = Duration.ofSeconds(5);
  private static final long ALIVE_TIMEOUT = 1500;
  private static ClusterNodes cluster;
  private static Vertx client;
  private static int a;
  private static int b;
  private static int c;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o.setAllowDiscovery(true).setAliveTimeout(ALIVE_TIMEOUT).setXhrGracePeriod(500))
        .start(3);
    a = cluster.node(0).port();
    b = cluster.node(1).port();
    c = cluster.node(2).port();
    client = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private static XhrPeer xhr(int port, String id, String token) {
    return XhrPeer.of(client, port, "peerjs", id, token);
  }

  private static String offer(String dst, int n) {
    return "{\"type\":\"OFFER\",\"dst\":\"" + dst + "\",\"payload\":" + n + "}";
  }

  private static void awaitListed(String id, int port) {
    Eventually.await(SOON, () -> HttpGet.peers(port).contains(id), () -> id + " not listed on " + port);
  }

  @Test
  void postsOnOtherNodesReachAWebSocketPeerInOrder() {
    try (XhrPeer onA = xhr(a, "xena", "xena-token");
         XhrPeer viaB = xhr(b, "xena", "xena-token");
         XhrPeer viaC = xhr(c, "xena", "xena-token");
         TestPeer yuri = TestPeer.open(client, c, "yuri")) {
      XhrPeer.Stream stream = onA.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
      awaitListed("yuri", a); // the stream's node relays, so it must know where yuri is
      assertEquals(200, viaB.post("offer", "{\"type\":\"OFFER\",\"payload\":{\"sdp\":\"v=0\\r\\n\"},\"dst\":\"yuri\"}").status());
      assertEquals("{\"type\":\"OFFER\",\"payload\":{\"sdp\":\"v=0\\r\\n\"},\"dst\":\"yuri\",\"src\":\"xena\"}", yuri.nextText());
      for (int i = 0; i < 20; i++) {
        XhrPeer via = i % 2 == 0 ? viaB : viaC;
        assertEquals(200, via.post("offer", offer("yuri", i)).status(), "POST " + i + " on port " + via.port());
        yuri.send("{\"type\":\"HEARTBEAT\"}");
      }
      for (int i = 0; i < 20; i++) {
        JsonObject m = yuri.expectType("OFFER");
        assertEquals(i, m.getInteger("payload"));
        assertEquals("xena", m.getString("src"));
      }
      // And back, over the stream on A, as for any peer.
      yuri.send("{\"type\":\"ANSWER\",\"dst\":\"xena\",\"payload\":\"a\"}");
      assertEquals("{\"type\":\"ANSWER\",\"dst\":\"xena\",\"payload\":\"a\",\"src\":\"yuri\"}", stream.nextLine());
    }
  }

  @Test
  void aWrongTokenOnAnotherNodeIsRefusedAndNothingIsRouted() {
    try (XhrPeer owner = xhr(a, "zoe", "zoe-token");
         XhrPeer thief = xhr(b, "zoe", "not-zoe-token");
         XhrPeer thiefOnC = xhr(c, "zoe", "not-zoe-token");
         XhrPeer rightful = xhr(b, "zoe", "zoe-token");
         TestPeer walt = TestPeer.open(client, c, "walt")) {
      owner.stream("i=0").firstMessage();
      awaitListed("walt", a);
      assertEquals(401, thief.post("offer", offer("walt", 1)).status());
      assertEquals(401, thiefOnC.post("offer", offer("walt", 2)).status());
      // The same POST with the right token goes through: the 401s were about the token.
      assertEquals(200, rightful.post("offer", offer("walt", 3)).status());
      assertEquals(3, walt.expectType("OFFER").getInteger("payload"));
      walt.expectNothing(Duration.ofMillis(200));
    }
  }

  @Test
  void theStreamsNodeChecksTheTokenAgainBeforeRouting() {
    try (XhrPeer ivy = xhr(a, "ivy", "ivy-token"); TestPeer jon = TestPeer.open(client, c, "jon")) {
      ivy.stream("i=0").firstMessage();
      awaitListed("jon", a);
      // What node B would send for a POST on it, once with a digest that is not ivy's token's.
      EventBus busOfB = cluster.node(1).vertx().eventBus();
      String nodeA = NodeBus.address(memberId(cluster.node(0).vertx()));
      Buffer forged = ClusterFrame.sent("ivy", PeerRecord.digest("not-ivy-token"), offer("jon", 1).getBytes(UTF_8));
      assertEquals(ClusterFrame.NOT_HELD, Await.result(busOfB.<Buffer>request(nodeA, forged)).body().getByte(0));
      Buffer genuine = ClusterFrame.sent("ivy", PeerRecord.digest("ivy-token"), offer("jon", 2).getBytes(UTF_8));
      assertEquals(ClusterFrame.TAKEN, Await.result(busOfB.<Buffer>request(nodeA, genuine)).body().getByte(0));
      assertEquals(2, jon.expectType("OFFER").getInteger("payload"));
      jon.expectNothing(Duration.ofMillis(200));
    }
  }

  // Nodes are named by the Vert.x node id, which survives a split-brain merge (docs/cluster.md).
  private static String memberId(Vertx node) {
    return ((VertxInternal) node).clusterManager().getNodeId();
  }

  @Test
  void heartbeatsPostedToAnotherNodeKeepThePeerAlive() {
    try (XhrPeer hal = xhr(a, "hal", "hal-token");
         XhrPeer halViaB = xhr(b, "hal", "hal-token");
         XhrPeer sid = xhr(a, "sid", "sid-token")) {
      XhrPeer.Stream halStream = hal.stream("i=0");
      halStream.firstMessage();
      sid.stream("i=0").firstMessage(); // connected after hal, silent from then on
      String heartbeat = "{\"type\":\"HEARTBEAT\"}";
      // sid is ended for silence; hal, older but beating through B, must outlive it.
      Eventually.await(Duration.ofMillis(ALIVE_TIMEOUT * 4),
          () -> halViaB.post("heartbeat", heartbeat).status() == 200 && !HttpGet.peers(a).contains("sid"),
          () -> "sid was not timed out, or a heartbeat on B was refused");
      assertEquals(200, halViaB.post("heartbeat", heartbeat).status());
      assertTrue(HttpGet.peers(a).contains("hal"), "hal was timed out though it sent heartbeats through B");
      assertFalse(halStream.isEnded(), "hal's stream was ended");
    }
  }

  @Test
  void anUnknownIdIsRefusedOnEveryNode() {
    for (int port : new int[] {a, b, c}) {
      try (XhrPeer ghost = xhr(port, "ghost", "ghost-token")) {
        assertEquals(401, ghost.post("offer", offer("anyone", 1)).status(), "port " + port);
        assertEquals(401, ghost.post("heartbeat", "{\"type\":\"HEARTBEAT\"}").status(), "port " + port);
      }
    }
  }
}
