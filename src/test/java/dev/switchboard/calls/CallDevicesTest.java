package dev.switchboard.calls;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls to a user with several devices (auth jwt, id_policy device), and the reconnect grace. */
@ExtendWith(VertxExtension.class)
class CallDevicesTest {
  private static final long GRACE = 400;

  private int start(Vertx vertx, String idPolicy) {
    return Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy(idPolicy)
        .setReconnectGrace(GRACE)).actualPort();
  }

  private static TestPeer open(Vertx vertx, int port, String id, String user) {
    TestPeer peer = TestPeer.connect(vertx, port, id, Tokens.hs256(Tokens.SECRET, Tokens.claims(user)));
    peer.expectType("OPEN");
    return peer;
  }

  @Test
  void everyDeviceRingsAndTheFirstAcceptWins(Vertx vertx) throws Exception {
    int port = start(vertx, "device");
    try (TestPeer alice = open(vertx, port, "alice", "alice");
         TestPeer phone = open(vertx, port, "bob-phone", "bob");
         TestPeer laptop = open(vertx, port, "bob-laptop", "bob")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      assertEquals(2, expect(alice, "CALL-TRYING").getInteger("devices"));
      assertEquals("alice", expect(phone, "CALL-INCOMING").getString("from"));
      expect(laptop, "CALL-INCOMING");
      // Both accept at once: exactly one wins, the other is answered elsewhere.
      CompletableFuture<Void> one = CompletableFuture.runAsync(() -> send(phone, "CALL-ACCEPT", id("c1")));
      CompletableFuture<Void> two = CompletableFuture.runAsync(() -> send(laptop, "CALL-ACCEPT", id("c1")));
      CompletableFuture.allOf(one, two).get();
      String winner = expect(alice, "CALL-ACCEPTED").getString("peer");
      TestPeer won = winner.equals("bob-phone") ? phone : laptop;
      TestPeer lost = won == phone ? laptop : phone;
      assertEquals(id("c1").put("peer", "alice"), expect(won, "CALL-ACCEPTED"));
      // The loser hears both that the call was answered elsewhere and that its accept came too late; the
      // winner's effects and the loser's refusal run on different event loops, so either may come first.
      java.util.Set<String> heard = new java.util.HashSet<>();
      for (int i = 0; i < 2; i++) {
        JsonObject frame = lost.next();
        JsonObject payload = frame.getJsonObject("payload");
        heard.add(frame.getString("type") + ":" + payload.getString("callId") + ":"
            + ("CALL-ENDED".equals(frame.getString("type")) ? payload.getString("reason") : payload.getString("code")));
      }
      assertEquals(java.util.Set.of("CALL-ENDED:c1:answered_elsewhere", "CALL-ERROR:c1:state"), heard);
      alice.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void aDeclineEndsItOnEveryDevice(Vertx vertx) {
    int port = start(vertx, "device");
    try (TestPeer alice = open(vertx, port, "alice", "alice");
         TestPeer phone = open(vertx, port, "bob-phone", "bob");
         TestPeer laptop = open(vertx, port, "bob-laptop", "bob")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      expect(alice, "CALL-TRYING");
      expect(phone, "CALL-INCOMING");
      expect(laptop, "CALL-INCOMING");
      send(laptop, "CALL-REJECT", id("c1").put("reason", "busy"));
      expectEnded(laptop, "c1", "busy");
      send(phone, "CALL-REJECT", id("c1").put("reason", "declined"));
      expectEnded(alice, "c1", "declined");
      expectEnded(phone, "c1", "declined");
      laptop.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void underAuthTheUserIsTheVerifiedOneNotThePeerId(Vertx vertx) {
    int port = start(vertx, "exact");
    try (TestPeer alice = open(vertx, port, "alice", "alice");
         TestPeer bob = open(vertx, port, "bob", "bob")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      assertEquals(1, expect(alice, "CALL-TRYING").getInteger("devices"));
      assertEquals("alice", expect(bob, "CALL-INCOMING").getString("from"));
      send(alice, "CALL-INVITE", invite("nobody").put("callId", "c2"));
      expectEnded(alice, "c2", "unavailable");
    }
  }

  @Test
  void aReconnectWithinTheGraceKeepsTheCall(Vertx vertx) {
    int port = start(vertx, "device");
    String token = Tokens.hs256(Tokens.SECRET, Tokens.claims("bob"));
    try (TestPeer alice = open(vertx, port, "alice", "alice")) {
      TestPeer phone = TestPeer.connect(vertx, port, "bob-phone", token);
      phone.expectType("OPEN");
      String callId = acceptedCall(alice, phone);
      phone.close();
      try (TestPeer back = TestPeer.openWhenFree(vertx, port, "bob-phone", token)) {
        // Past the grace, nothing ended the call: the returned device hangs it up.
        alice.expectNothing(Duration.ofMillis(3 * GRACE));
        send(back, "CALL-HANGUP", id(callId));
        expectEnded(alice, callId, "hangup");
        expectEnded(back, callId, "hangup");
      }
    }
  }

  @Test
  void aPartyGoneLongerThanTheGraceEndsTheCall(Vertx vertx) {
    int port = start(vertx, "device");
    try (TestPeer alice = open(vertx, port, "alice", "alice")) {
      TestPeer phone = open(vertx, port, "bob-phone", "bob");
      String callId = acceptedCall(alice, phone);
      long closed = System.nanoTime();
      phone.close();
      expectEnded(alice, callId, "remote_disconnected");
      long waited = (System.nanoTime() - closed) / 1_000_000;
      assertTrue(waited >= GRACE, "ended after " + waited + " ms, before the grace was up");
    }
  }

  private static String acceptedCall(TestPeer alice, TestPeer phone) {
    send(alice, "CALL-INVITE", invite("bob"));
    String callId = expect(alice, "CALL-TRYING").getString("callId");
    expect(phone, "CALL-INCOMING");
    send(phone, "CALL-ACCEPT", id(callId));
    expect(alice, "CALL-ACCEPTED");
    expect(phone, "CALL-ACCEPTED");
    // Media flowed, so no signalling timeout can end it.
    phone.send(new JsonObject().put("type", "ANSWER").put("dst", "alice").put("payload", new JsonObject()));
    alice.expectType("ANSWER");
    return callId;
  }

  @Test
  void peersOfUserListsEveryDeviceOfTheVerifiedUser(Vertx vertx) {
    var broker = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device"));
    try (TestPeer phone = open(vertx, broker.actualPort(), "bob-phone", "bob");
         TestPeer laptop = open(vertx, broker.actualPort(), "bob-laptop", "bob")) {
      assertEquals(List.of("bob-laptop", "bob-phone"), dev.switchboard.support.Await.result(broker.broker().peersOfUser("bob")));
      laptop.close();
      dev.switchboard.support.Await.until("laptop gone",
          () -> dev.switchboard.support.Await.result(broker.broker().peersOfUser("bob")).equals(List.of("bob-phone")), 5);
      assertEquals(List.of(), dev.switchboard.support.Await.result(broker.broker().peersOfUser("carol")));
    }
  }
}
