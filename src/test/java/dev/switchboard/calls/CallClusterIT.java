package dev.switchboard.calls;

import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.calls.CallFrames.expect;
import static dev.switchboard.calls.CallFrames.expectEnded;
import static dev.switchboard.calls.CallFrames.expectError;
import static dev.switchboard.calls.CallFrames.id;
import static dev.switchboard.calls.CallFrames.invite;
import static dev.switchboard.calls.CallFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Calls across three clustered brokers (auth jwt, id_policy device): the caller on node 0, devices of the
 * callee on nodes 1 and 2. The call's home is node 0; frames about it cross the event bus.
 */
class CallClusterIT {
  private static final long GRACE = 500;
  private static ClusterNodes cluster;
  private static Vertx client;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o.setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device")
        .setReconnectGrace(GRACE).setLeaveOnDisconnect(GRACE)).start(3);
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

  private static String token(String user) {
    return Tokens.hs256(Tokens.SECRET, Tokens.claims(user));
  }

  private static TestPeer open(int node, String id, String user) {
    TestPeer peer = TestPeer.connect(client, cluster.node(node).port(), id, token(user));
    peer.expectType("OPEN");
    return peer;
  }

  private static void awaitDevices(int node, String user, List<String> ids) {
    Await.until(user + " has " + ids + " in node " + node + "'s view",
        () -> Await.result(cluster.node(node).broker().broker().peersOfUser(user)).equals(ids), 10);
  }

  @Test
  void devicesOnTwoNodesRingAndExactlyOneRacingAcceptWins() throws Exception {
    try (TestPeer alice = open(0, "alice", "alice");
         TestPeer phone = open(1, "bob-phone", "bob");
         TestPeer laptop = open(2, "bob-laptop", "bob")) {
      awaitDevices(0, "bob", List.of("bob-laptop", "bob-phone"));
      send(alice, "CALL-INVITE", invite("bob").put("callId", "race"));
      assertEquals(2, expect(alice, "CALL-TRYING").getInteger("devices"));
      assertEquals("alice", expect(phone, "CALL-INCOMING").getString("fromPeer"));
      expect(laptop, "CALL-INCOMING");
      send(laptop, "CALL-RINGING", id("race"));
      assertEquals(id("race").put("peer", "bob-laptop"), expect(alice, "CALL-RINGING"));
      CompletableFuture.allOf(CompletableFuture.runAsync(() -> send(phone, "CALL-ACCEPT", id("race"))),
          CompletableFuture.runAsync(() -> send(laptop, "CALL-ACCEPT", id("race")))).get();
      String winner = expect(alice, "CALL-ACCEPTED").getString("peer");
      TestPeer won = winner.equals("bob-phone") ? phone : laptop;
      TestPeer lost = won == phone ? laptop : phone;
      assertEquals(id("race").put("peer", "alice"), expect(won, "CALL-ACCEPTED"));
      expectEnded(lost, "race", "answered_elsewhere");
      expectError(lost, "state");
      send(won, "CALL-HANGUP", id("race"));
      expectEnded(alice, "race", "hangup");
      expectEnded(won, "race", "hangup");
      alice.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void aDeviceConnectingOnAnotherNodeWhileItRingsIsRungToo() {
    try (TestPeer alice = open(0, "alice5", "alice5");
         TestPeer phone = open(1, "jo-phone", "jo")) {
      awaitDevices(0, "jo", List.of("jo-phone"));
      send(alice, "CALL-INVITE", invite("jo").put("callId", "late"));
      assertEquals(1, expect(alice, "CALL-TRYING").getInteger("devices"));
      expect(phone, "CALL-INCOMING");
      try (TestPeer tablet = open(2, "jo-tablet", "jo")) {
        assertEquals("alice5", expect(tablet, "CALL-INCOMING").getString("fromPeer"));
        send(tablet, "CALL-ACCEPT", id("late"));
        assertEquals(id("late").put("peer", "jo-tablet"), expect(alice, "CALL-ACCEPTED"));
        assertEquals(id("late").put("peer", "alice5"), expect(tablet, "CALL-ACCEPTED"));
        expectEnded(phone, "late", "answered_elsewhere");
        send(alice, "CALL-HANGUP", id("late"));
        expectEnded(tablet, "late", "hangup");
      }
    }
  }

  @Test
  void aDeviceGoneFromItsNodeLongerThanTheGraceEndsTheCall() {
    try (TestPeer alice = open(0, "alice2", "alice2")) {
      TestPeer phone = open(1, "carl-phone", "carl");
      awaitDevices(0, "carl", List.of("carl-phone"));
      String callId = accepted(alice, phone, "carl");
      phone.close();
      expectEnded(alice, callId, "remote_disconnected");
    }
  }

  @Test
  void aDeviceBackOnAnotherNodeWithinTheGraceKeepsTheCall() {
    try (TestPeer alice = open(0, "alice3", "alice3")) {
      TestPeer phone = open(1, "dora-phone", "dora");
      awaitDevices(0, "dora", List.of("dora-phone"));
      String callId = accepted(alice, phone, "dora");
      phone.close();
      try (TestPeer back = TestPeer.openWhenFree(client, cluster.node(2).port(), "dora-phone", token("dora"))) {
        alice.expectNothing(Duration.ofMillis(3 * GRACE));
        send(back, "CALL-HANGUP", id(callId));
        expectEnded(alice, callId, "hangup");
        expectEnded(back, callId, "hangup");
      }
    }
  }

  @Test
  void glareAcrossNodesMergesIntoOneCall() {
    try (TestPeer alice = open(0, "alice4", "alice4");
         TestPeer erin = open(1, "erin-phone", "erin")) {
      awaitDevices(0, "erin", List.of("erin-phone"));
      awaitDevices(1, "alice4", List.of("alice4"));
      send(alice, "CALL-INVITE", invite("erin").put("callId", "first"));
      expect(alice, "CALL-TRYING");
      expect(erin, "CALL-INCOMING");
      send(erin, "CALL-INVITE", invite("alice4").put("callId", "second"));
      assertEquals(id("second").put("reason", "answered_elsewhere").put("replacedBy", "first"), expect(erin, "CALL-ENDED"));
      assertEquals(id("first").put("peer", "alice4"), expect(erin, "CALL-ACCEPTED"));
      assertEquals(id("first").put("peer", "erin-phone"), expect(alice, "CALL-ACCEPTED"));
      send(alice, "CALL-HANGUP", id("first"));
      expectEnded(erin, "first", "hangup");
    }
  }

  @Test
  void whenTheHomeNodeDiesThePartiesElsewhereAreDisconnected() {
    ClusterNodes.Node home = cluster.add(o -> o.setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device")
        .setReconnectGrace(GRACE));
    try (TestPeer fred = TestPeer.connect(client, home.port(), "fred", token("fred"));
         TestPeer phone = open(1, "gina-phone", "gina")) {
      fred.expectType("OPEN");
      Await.until("gina in the new node's view",
          () -> Await.result(home.broker().broker().peersOfUser("gina")).equals(List.of("gina-phone")), 10);
      String callId = accepted(fred, phone, "gina");
      cluster.stop(home);
      expectEnded(phone, callId, "remote_disconnected");
    } finally {
      cluster.stopIfRunning(home);
    }
  }

  @Test
  void aPeerGoneForGoodIsLeftOnItsContactsOnOtherNodes() {
    try (TestPeer hank = open(2, "hank", "hank")) {
      TestPeer ivy = open(0, "ivy", "ivy");
      Await.until("hank in node 0's view", () -> cluster.node(0).broker().broker().lookup("hank").connected(), 10);
      ivy.send(new io.vertx.core.json.JsonObject().put("type", "OFFER").put("dst", "hank")
          .put("payload", new io.vertx.core.json.JsonObject().put("type", "media").put("connectionId", "mc_9")));
      hank.expectType("OFFER");
      ivy.close();
      assertEquals(new io.vertx.core.json.JsonObject().put("type", "LEAVE").put("src", "ivy").put("dst", "hank"), hank.next());
    }
  }

  @Test
  void mediaAndPlainPeerJsCallsAreSeenAtTheHomeWhenTheirFramesPassAnotherNode() {
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.switchboard.routing.BrokerListener listener = new dev.switchboard.routing.BrokerListener() {
      @Override
      public void callMedia(dev.switchboard.routing.CallInfo call) {
        events.add((call.inferred() ? "inferred " : "") + "media " + call.callId());
      }
    };
    cluster.node(0).broker().addListener(listener);
    try (TestPeer kim = open(0, "kim", "kim");
         TestPeer lee = open(1, "lee-phone", "lee")) {
      awaitDevices(0, "lee", List.of("lee-phone"));
      awaitDevices(1, "kim", List.of("kim"));
      String callId = accepted(kim, lee, "lee");
      // The device's ANSWER passes node 1 only; the home on node 0 hears of it.
      lee.send(new io.vertx.core.json.JsonObject().put("type", "ANSWER").put("dst", "kim")
          .put("payload", new io.vertx.core.json.JsonObject()));
      kim.expectType("ANSWER");
      Await.until("media of the call seen at its home", () -> events.contains("media " + callId), 10);
      send(kim, "CALL-HANGUP", id(callId));
      expectEnded(lee, callId, "hangup");
      expectEnded(kim, callId, "hangup");
      // A plain PeerJS call between the same two: OFFER from node 0, ANSWER from node 1.
      kim.send(new io.vertx.core.json.JsonObject().put("type", "OFFER").put("dst", "lee-phone")
          .put("payload", new io.vertx.core.json.JsonObject().put("type", "media").put("connectionId", "mc_plain")));
      lee.expectType("OFFER");
      lee.send(new io.vertx.core.json.JsonObject().put("type", "ANSWER").put("dst", "kim")
          .put("payload", new io.vertx.core.json.JsonObject().put("type", "media").put("connectionId", "mc_plain")));
      kim.expectType("ANSWER");
      Await.until("inferred call answered", () -> events.contains("inferred media mc_plain"), 10);
    } finally {
      cluster.node(0).broker().removeListener(listener);
    }
  }

  private static String accepted(TestPeer caller, TestPeer device, String user) {
    send(caller, "CALL-INVITE", invite(user));
    String callId = expect(caller, "CALL-TRYING").getString("callId");
    expect(device, "CALL-INCOMING");
    send(device, "CALL-ACCEPT", id(callId));
    expect(caller, "CALL-ACCEPTED");
    expect(device, "CALL-ACCEPTED");
    return callId;
  }
}
