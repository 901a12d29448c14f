package dev.switchboard.cluster;

import dev.switchboard.support.BrokerProcess;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HttpGet;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three broker processes from the packaged jar, clustered over TCP/IP on loopback, as an operator runs
 * them: one server to clients, a killed node's ids free on the others within seconds, a stopped node's
 * at once. The tests run in order on one cluster; the last ones take nodes away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessIT {
  /** Hazelcast declares a silent member dead after 5 s (our default); allow for a loaded machine. */
  private static final Duration FAILURE_DETECTED = Duration.ofSeconds(20);
  private static final List<BrokerProcess> nodes = new ArrayList<>();
  private static Vertx client;
  private static int a;
  private static int b;
  private static int c;

  @BeforeAll
  static void startNodes() {
    String name = "it-" + UUID.randomUUID();
    int[] clusterPorts = {ClusterNodes.freePort(), ClusterNodes.freePort(), ClusterNodes.freePort()};
    String members = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:" + clusterPorts[2];
    for (int i = 0; i < 3; i++) {
      nodes.add(BrokerProcess.start("node" + i, "--host", "127.0.0.1", "--port", "0", "--allow_discovery",
          "--expire_timeout", "20000", "--event_loops", "1",
          "--cluster", "--cluster_name", name, "--cluster_host", "127.0.0.1",
          "--cluster_port", String.valueOf(clusterPorts[i]), "--cluster_members", members));
    }
    a = nodes.get(0).port();
    b = nodes.get(1).port();
    c = nodes.get(2).port();
    client = Vertx.vertx();
  }

  @AfterAll
  static void stopNodes() {
    nodes.forEach(BrokerProcess::close);
    if (client != null) {
      client.close();
    }
  }

  private static String candidate(String dst, int n) {
    return "{\"type\":\"CANDIDATE\",\"dst\":\"" + dst + "\",\"payload\":" + n + "}";
  }

  private static void awaitListed(String id, int... ports) {
    for (int port : ports) {
      Eventually.await(Duration.ofSeconds(5), () -> HttpGet.peers(port).contains(id), () -> id + " not listed on " + port);
    }
  }

  @Test
  @Order(1)
  void threeProcessesRelayAndRefuseAsOneServer() {
    try (TestPeer alice = TestPeer.open(client, a, "alice");
         TestPeer bob = TestPeer.open(client, b, "bob");
         TestPeer carol = TestPeer.open(client, c, "carol")) {
      awaitListed("carol", a);
      awaitListed("alice", b, c);
      for (int i = 0; i < 50; i++) {
        alice.send(candidate("carol", i));
      }
      for (int i = 0; i < 50; i++) {
        assertEquals(i, carol.expectType("CANDIDATE").getInteger("payload"));
      }
      carol.send(candidate("bob", 1));
      assertEquals("carol", bob.expectType("CANDIDATE").getString("src"));
      try (TestPeer thief = TestPeer.connect(client, c, "alice", "not-alices")) {
        thief.expectType("ID-TAKEN");
      }
      // Queued on one process, delivered on another.
      alice.send(candidate("dave", 42));
      try (TestPeer dave = TestPeer.open(client, b, "dave")) {
        assertEquals(42, dave.expectType("CANDIDATE").getInteger("payload"));
      }
    }
  }

  @Test
  @Order(2)
  void aKilledNodesIdsComeFreeOnTheOthersWithinSeconds() {
    try (TestPeer erin = TestPeer.open(client, a, "erin");
         TestPeer frank = TestPeer.open(client, c, "frank");
         TestPeer victim1 = TestPeer.open(client, b, "victim1");
         TestPeer victim2 = TestPeer.open(client, b, "victim2")) {
      awaitListed("victim1", a, c);
      awaitListed("victim2", a, c);
      erin.send(candidate("later", 7)); // queued on A: a surviving node's queue must survive
      long killed = System.nanoTime();
      nodes.get(1).kill();
      for (int port : new int[] {a, c}) {
        Eventually.await(FAILURE_DETECTED, () -> {
          List<String> peers = HttpGet.peers(port);
          return !peers.contains("victim1") && !peers.contains("victim2");
        }, () -> "the killed node's peers are still listed on " + port);
      }
      System.out.printf("killed node's ids freed on the others after %d ms%n", (System.nanoTime() - killed) / 1_000_000);
      // The victims reconnect through the others (as through a load balancer), even with new tokens.
      try (TestPeer back1 = TestPeer.connect(client, a, "victim1", "new-token");
           TestPeer back2 = TestPeer.connect(client, c, "victim2", "new-token")) {
        back1.expectType("OPEN");
        back2.expectType("OPEN");
        awaitListed("victim2", a);
        back1.send(candidate("victim2", 3));
        assertEquals(3, back2.expectType("CANDIDATE").getInteger("payload"));
      }
      // What the survivors hold is intact: their peers, their registrations, their queues.
      assertTrue(HttpGet.peers(c).containsAll(List.of("erin", "frank")));
      frank.send(candidate("erin", 9));
      assertEquals(9, erin.expectType("CANDIDATE").getInteger("payload"));
      try (TestPeer later = TestPeer.open(client, c, "later")) {
        assertEquals(7, later.expectType("CANDIDATE").getInteger("payload"));
      }
      try (TestPeer thief = TestPeer.connect(client, c, "erin", "not-erins")) {
        thief.expectType("ID-TAKEN");
      }
    }
  }

  @Test
  @Order(3)
  void aStoppedNodeTellsItsPeersAndFreesTheirIdsAtOnce() {
    try (TestPeer gina = TestPeer.open(client, a, "gina");
         TestPeer hank = TestPeer.open(client, c, "hank")) {
      awaitListed("hank", a);
      nodes.get(2).terminate(); // SIGTERM
      hank.expectError("Server is restarting, please reconnect");
      // The node removed its peers before it left the cluster: no failure detection to wait for.
      assertFalse(HttpGet.peers(a).contains("hank"), "hank still listed after its node stopped");
      try (TestPeer again = TestPeer.connect(client, a, "hank", "another-token")) {
        again.expectType("OPEN");
      }
      assertTrue(nodes.get(2).output().contains("cluster node"), nodes.get(2).output());
    }
  }
}
