package dev.switchboard.cluster;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.routing.Broker;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HttpGet;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three brokers clustered in this JVM behave as one server: relay, id uniqueness and takeover, queues
 * and EXPIRE, discovery and the concurrent limit, all across nodes. One cluster serves the whole class.
 */
class ClusterRoutingIT {
  private static final Duration SOON = Duration.ofSeconds(5);
  private static ClusterNodes cluster;
  private static Vertx client;
  private static int a;
  private static int b;
  private static int c;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o.setExpireTimeout(1500).setMaxQueuePerPeer(3).setConcurrentLimit(12)
        .setAllowDiscovery(true)).start(3);
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

  // Every test starts from an empty cluster; removal after a close is asynchronous.
  @AfterEach
  void everyoneLeft() {
    for (int port : new int[] {a, b, c}) {
      Eventually.await(SOON, () -> HttpGet.peers(port).isEmpty(), () -> "peers left on " + port + ": " + HttpGet.peers(port));
    }
  }

  private static String candidate(String dst, int n) {
    return "{\"type\":\"CANDIDATE\",\"dst\":\"" + dst + "\",\"payload\":" + n + "}";
  }

  private static void awaitListed(String id, int... ports) {
    for (int port : ports) {
      Eventually.await(SOON, () -> HttpGet.peers(port).contains(id), () -> id + " not listed on " + port);
    }
  }

  @Test
  void peersOnDifferentNodesRelayBothWaysInOrderWithExactBytes() {
    try (TestPeer alice = TestPeer.open(client, a, "alice");
         TestPeer bob = TestPeer.open(client, b, "bob")) {
      awaitListed("bob", a);
      awaitListed("alice", b);
      alice.send("{\"type\":\"OFFER\",\"payload\":{\"sdp\":\"v=0\\r\\n\"},\"dst\":\"bob\"}");
      assertEquals("{\"type\":\"OFFER\",\"payload\":{\"sdp\":\"v=0\\r\\n\"},\"dst\":\"bob\",\"src\":\"alice\"}", bob.nextText());
      for (int i = 0; i < 300; i++) {
        alice.send(candidate("bob", i));
      }
      for (int i = 0; i < 300; i++) {
        JsonObject m = bob.expectType("CANDIDATE");
        assertEquals(i, m.getInteger("payload"));
        assertEquals("alice", m.getString("src"));
      }
      bob.send("{\"type\":\"ANSWER\",\"dst\":\"alice\",\"payload\":\"a\"}");
      assertEquals("bob", alice.expectType("ANSWER").getString("src"));
      bob.send("{\"type\":\"LEAVE\",\"dst\":\"alice\"}");
      assertEquals("bob", alice.expectType("LEAVE").getString("src"));
    }
  }

  // An embedding application's own type (docs/extending.md): the handler on the sender's node answers a
  // peer on the same node and one on another node through the Broker, finds and ends peers elsewhere.
  @Test
  void anApplicationsOwnTypeReachesPeersOnEveryNode() {
    cluster.node(0).broker().handle("MY-PING", (from, frame, broker) ->
        broker.send(frame.dst(), "MY-PONG", new JsonObject().put("from", from.id())));
    try (TestPeer alice = TestPeer.open(client, a, "alice");
         TestPeer bob = TestPeer.open(client, b, "bob");
         TestPeer carol = TestPeer.open(client, a, "carol")) {
      awaitListed("bob", a);
      alice.send("{\"type\":\"MY-PING\",\"dst\":\"bob\",\"payload\":{}}");
      assertEquals("{\"type\":\"MY-PONG\",\"payload\":{\"from\":\"alice\"}}", bob.nextText());
      alice.send("{\"type\":\"MY-PING\",\"dst\":\"carol\",\"payload\":{}}");
      assertEquals("{\"type\":\"MY-PONG\",\"payload\":{\"from\":\"alice\"}}", carol.nextText());
      Broker broker = cluster.node(0).broker().broker();
      assertTrue(broker.lookup("bob").isElsewhere());
      assertTrue(broker.end("bob", CloseReason.SUPERSEDED));
      bob.expectError(ErrorText.SUPERSEDED);
      assertEquals((short) CloseReason.SUPERSEDED.code(), bob.awaitClose().code());
    }
  }

  @Test
  void anIdHeldOnOneNodeIsTakenOnEveryOther() {
    try (TestPeer carol = TestPeer.open(client, a, "carol")) {
      for (int port : new int[] {b, c}) {
        try (TestPeer thief = TestPeer.connect(client, port, "carol", "other-token")) {
          assertEquals("ID is taken", thief.expectType("ID-TAKEN").getJsonObject("payload").getString("msg"));
          assertEquals((short) 1008, thief.awaitClose().code());
        }
      }
      // carol is undisturbed and still reachable from elsewhere.
      try (TestPeer dan = TestPeer.open(client, c, "dan")) {
        awaitListed("carol", c);
        dan.send(candidate("carol", 7));
        assertEquals(7, carol.expectType("CANDIDATE").getInteger("payload"));
      }
    }
  }

  @Test
  void nodesClaimingOneIdAtOnceAdmitExactlyOne() throws Exception {
    int[] ports = {a, b, c};
    for (int round = 0; round < 8; round++) {
      String id = "race" + round;
      List<CompletableFuture<TestPeer>> attempts = new ArrayList<>();
      for (int i = 0; i < ports.length; i++) {
        int port = ports[i];
        String token = "t" + i;
        attempts.add(CompletableFuture.supplyAsync(() -> TestPeer.connect(client, port, id, token)));
      }
      int opened = 0;
      int taken = 0;
      List<TestPeer> peers = new ArrayList<>();
      for (CompletableFuture<TestPeer> attempt : attempts) {
        TestPeer peer = attempt.get(10, TimeUnit.SECONDS);
        peers.add(peer);
        String type = peer.next().getString("type");
        if ("OPEN".equals(type)) {
          opened++;
        } else if ("ID-TAKEN".equals(type)) {
          taken++;
        }
      }
      peers.forEach(TestPeer::close);
      assertEquals(1, opened, "round " + round + ": exactly one node may admit " + id);
      assertEquals(2, taken, "round " + round);
    }
  }

  @Test
  void theSameTokenTakesItsIdOverFromAnotherNode() {
    try (TestPeer sender = TestPeer.open(client, c, "erin");
         TestPeer old = TestPeer.connect(client, a, "dave", "dave-token")) {
      old.expectType("OPEN");
      try (TestPeer fresh = TestPeer.connect(client, b, "dave", "dave-token")) {
        fresh.expectType("OPEN");
        old.expectError("Connection replaced by a newer connection for this id");
        assertEquals((short) 4000, old.awaitClose().code());
        Eventually.await(SOON, () -> {
          sender.send(candidate("dave", 1));
          String text = fresh.poll(Duration.ofMillis(500));
          return text != null && text.contains("\"payload\":1");
        }, () -> "messages for dave do not reach the new connection");
        assertEquals(List.of("dave", "erin"), HttpGet.peers(a).stream().sorted().toList());
      }
    }
  }

  @Test
  void messagesQueuedOnSeveralNodesReachThePeerWhereverItConnectsInOrder() {
    try (TestPeer gina = TestPeer.open(client, a, "gina");
         TestPeer hank = TestPeer.open(client, c, "hank")) {
      gina.send(candidate("ivan", 1));
      hank.send(candidate("ivan", 10));
      gina.send(candidate("ivan", 2));
      hank.send(candidate("ivan", 11));
      gina.send(candidate("ivan", 3));
      try (TestPeer ivan = TestPeer.connect(client, b, "ivan", "t")) {
        ivan.expectType("OPEN");
        List<Integer> fromGina = new ArrayList<>();
        List<Integer> fromHank = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          JsonObject m = ivan.expectType("CANDIDATE");
          ("gina".equals(m.getString("src")) ? fromGina : fromHank).add(m.getInteger("payload"));
        }
        assertEquals(List.of(1, 2, 3), fromGina);
        assertEquals(List.of(10, 11), fromHank);
        // After the hand-over, new messages go straight to ivan's node.
        gina.send(candidate("ivan", 4));
        assertEquals(4, ivan.expectType("CANDIDATE").getInteger("payload"));
      }
    }
  }

  @Test
  void expireReachesASenderThatMovedToAnotherNode() {
    try (TestPeer jack = TestPeer.connect(client, a, "jack", "jack-token")) {
      jack.expectType("OPEN");
      jack.send(candidate("nobody", 1)); // queued on node A
      try (TestPeer moved = TestPeer.connect(client, b, "jack", "jack-token")) {
        moved.expectType("OPEN");
        // A's queue for nobody expires; jack is now on B, and that is where EXPIRE must go.
        assertEquals("{\"type\":\"EXPIRE\",\"src\":\"nobody\",\"dst\":\"jack\"}", moved.nextText());
        moved.expectNothing(Duration.ofMillis(300));
      }
    }
  }

  @Test
  void queueBoundsHoldAndOverflowIsAnsweredWithOneExpire() {
    try (TestPeer kate = TestPeer.open(client, a, "kate")) {
      for (int i = 1; i <= 5; i++) {
        kate.send(candidate("oscar", i));
      }
      assertEquals("{\"type\":\"EXPIRE\",\"src\":\"oscar\",\"dst\":\"kate\"}", kate.nextText());
      try (TestPeer oscar = TestPeer.connect(client, c, "oscar", "t")) {
        oscar.expectType("OPEN");
        for (int i = 1; i <= 3; i++) {
          assertEquals(i, oscar.expectType("CANDIDATE").getInteger("payload"));
        }
        oscar.expectNothing(Duration.ofMillis(300));
      }
      kate.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void discoveryListsEveryNodesPeersOnEveryNode() {
    try (TestPeer p1 = TestPeer.open(client, a, "lou");
         TestPeer p2 = TestPeer.open(client, b, "mia");
         TestPeer p3 = TestPeer.open(client, c, "ned")) {
      for (int port : new int[] {a, b, c}) {
        Eventually.await(SOON, () -> HttpGet.peers(port).stream().sorted().toList().equals(List.of("lou", "mia", "ned")),
            () -> "peers on " + port + ": " + HttpGet.peers(port));
      }
    }
  }

  @Test
  void theConcurrentLimitCountsPeersOnAllNodes() {
    List<TestPeer> peers = new ArrayList<>();
    try {
      int[] ports = {a, b, c};
      for (int i = 0; i < 12; i++) {
        peers.add(TestPeer.open(client, ports[i % 3], "full" + i));
      }
      for (int port : ports) {
        Eventually.await(SOON, () -> HttpGet.peers(port).size() == 12, () -> "not all listed on " + port);
      }
      for (int port : ports) {
        try (TestPeer extra = TestPeer.connect(client, port, "extra", "t")) {
          extra.expectError("Server has reached its concurrent user limit");
          assertEquals((short) 1013, extra.awaitClose().code());
        }
      }
      peers.remove(0).close();
      Eventually.await(SOON, () -> {
        try (TestPeer extra = TestPeer.connect(client, c, "extra", "t")) {
          boolean open = "OPEN".equals(extra.next().getString("type"));
          return open;
        }
      }, () -> "a freed place is not usable on another node");
    } finally {
      peers.forEach(TestPeer::close);
    }
  }

  @Test
  void aNodeThatJoinsLaterSeesEveryoneAndOneThatStopsFreesItsIdsAtOnce() {
    try (TestPeer pat = TestPeer.open(client, a, "pat")) {
      ClusterNodes.Node d = cluster.add(o -> o.setAllowDiscovery(true).setAliveTimeout(800));
      try {
        assertTrue(HttpGet.peers(d.port()).contains("pat"), "a new node loads the registry as it joins");
        try (TestPeer quinn = TestPeer.open(client, d.port(), "quinn");
             TestPeer silent = TestPeer.open(client, d.port(), "silent")) {
          awaitListed("quinn", a, b, c);
          quinn.send(candidate("pat", 5));
          assertEquals(5, pat.expectType("CANDIDATE").getInteger("payload"));
          // Liveness is kept by each node for its own peers and frees the id everywhere; quinn keeps talking.
          String heartbeat = "{\"type\":\"HEARTBEAT\"}";
          Eventually.await(SOON, () -> quinn.send(heartbeat) != null && silent.isClosed(), () -> "silent not timed out");
          assertEquals((short) 4001, silent.awaitClose().code());
          for (int port : new int[] {a, b, c}) {
            Eventually.await(SOON, () -> quinn.send(heartbeat) != null && !HttpGet.peers(port).contains("silent"),
                () -> "silent still listed on " + port);
          }
          quinn.send(heartbeat);
          cluster.stop(d);
          quinn.expectError("Server is shutting down");
          // Graceful: the node removed its peers before it left, so they are gone on the others now.
          for (int port : new int[] {a, b, c}) {
            assertTrue(!HttpGet.peers(port).contains("quinn"), "quinn still listed on " + port);
          }
          try (TestPeer again = TestPeer.connect(client, b, "quinn", "another-token")) {
            again.expectType("OPEN");
          }
        }
      } finally {
        cluster.stopIfRunning(d);
      }
    }
  }
}
