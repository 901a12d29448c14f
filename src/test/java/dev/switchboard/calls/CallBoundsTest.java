package dev.switchboard.calls;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.switchboard.calls.CallFrames.expect;
import static dev.switchboard.calls.CallFrames.expectEnded;
import static dev.switchboard.calls.CallFrames.expectError;
import static dev.switchboard.calls.CallFrames.id;
import static dev.switchboard.calls.CallFrames.invite;
import static dev.switchboard.calls.CallFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The call bounds on a broker: calls per node, per peer (a device at its bound), lifetime; rejected elsewhere. */
@ExtendWith(VertxExtension.class)
class CallBoundsTest {

  @Test
  void aNodeHoldsAtMostMaxCalls(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setMaxCalls(1)).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob");
         TestPeer carol = TestPeer.open(vertx, port, "carol")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      expect(alice, "CALL-TRYING");
      expect(bob, "CALL-INCOMING");
      send(carol, "CALL-INVITE", invite("alice").put("callId", "c2"));
      assertEquals("c2", expectError(carol, "limit").getString("callId"));
    }
  }

  @Test
  void aDeviceAtItsBoundIsNotRungAndTheCallerHearsBusy(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setMaxCallsPerPeer(1)).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob");
         TestPeer carol = TestPeer.open(vertx, port, "carol")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      expect(alice, "CALL-TRYING");
      expect(bob, "CALL-INCOMING");
      send(carol, "CALL-INVITE", invite("bob").put("callId", "c2"));
      expectEnded(carol, "c2", "busy");
    }
  }

  @Test
  void aCallEndsAtItsLifetime(Vertx vertx) {
    ManualClock clock = new ManualClock();
    int port = Brokers.start(vertx, Brokers.options().setMaxCallDuration(60_000), clock).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      expect(alice, "CALL-TRYING");
      expect(bob, "CALL-INCOMING");
      send(bob, "CALL-ACCEPT", id("c1"));
      expect(alice, "CALL-ACCEPTED");
      expect(bob, "CALL-ACCEPTED");
      alice.send(new JsonObject().put("type", "OFFER").put("dst", "bob").put("payload", new JsonObject()));
      bob.expectType("OFFER");
      clock.advance(60_000);
      assertEquals(id("c1").put("reason", "hangup").put("detail", "max_duration"), expect(alice, "CALL-ENDED"));
      assertEquals(id("c1").put("reason", "hangup").put("detail", "max_duration"), expect(bob, "CALL-ENDED"));
    }
  }

  @Test
  void aDeclineIsRejectedElsewhereOnTheOtherDevices(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device"))
        .actualPort();
    try (TestPeer alice = open(vertx, port, "alice", "alice");
         TestPeer phone = open(vertx, port, "bob-phone", "bob");
         TestPeer laptop = open(vertx, port, "bob-laptop", "bob")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      expect(alice, "CALL-TRYING");
      expect(phone, "CALL-INCOMING");
      expect(laptop, "CALL-INCOMING");
      send(phone, "CALL-REJECT", id("c1").put("reason", "declined"));
      expectEnded(alice, "c1", "declined");
      expectEnded(phone, "c1", "declined");
      expectEnded(laptop, "c1", "rejected_elsewhere");
      send(laptop, "CALL-ACCEPT", id("c1"));
      expectError(laptop, "not_found");
    }
  }

  private static TestPeer open(Vertx vertx, int port, String id, String user) {
    TestPeer peer = TestPeer.connect(vertx, port, id, Tokens.hs256(Tokens.SECRET, Tokens.claims(user)));
    peer.expectType("OPEN");
    return peer;
  }
}
