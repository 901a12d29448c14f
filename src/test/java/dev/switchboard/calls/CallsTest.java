package dev.switchboard.calls;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static dev.switchboard.calls.CallFrames.expect;
import static dev.switchboard.calls.CallFrames.expectEnded;
import static dev.switchboard.calls.CallFrames.expectError;
import static dev.switchboard.calls.CallFrames.id;
import static dev.switchboard.calls.CallFrames.invite;
import static dev.switchboard.calls.CallFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls between peers of one broker without auth: a user is the peer of that id. */
@ExtendWith(VertxExtension.class)
class CallsTest {
  private final ManualClock clock = new ManualClock();
  private Vertx vertx;
  private int port;
  private dev.switchboard.Switchboard broker;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options().setMaxCallsPerPeer(2).setMaxCallMetadata(100), clock);
    port = broker.actualPort();
  }

  @Test
  void aWokenDeviceIsRungWhenItConnects() {
    broker.calls().wakeWith((user, callId, fromUser) -> "bob".equals(user) && "alice".equals(fromUser) ? 1 : 0);
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "w1"));
      assertEquals(id("w1").put("devices", 0).put("woken", true), expect(alice, "CALL-TRYING"));
      try (TestPeer bob = TestPeer.open(vertx, port, "bob")) {
        assertEquals("alice", expect(bob, "CALL-INCOMING").getString("from"));
        send(bob, "CALL-ACCEPT", id("w1"));
        assertEquals(id("w1").put("peer", "bob"), expect(alice, "CALL-ACCEPTED"));
      }
    }
  }

  private String ring(TestPeer alice, TestPeer bob) {
    send(alice, "CALL-INVITE", invite("bob").put("media", "video").put("metadata", new JsonObject().put("s", "hi")));
    JsonObject trying = expect(alice, "CALL-TRYING");
    String callId = trying.getString("callId");
    assertEquals(new JsonObject().put("callId", callId).put("devices", 1).put("woken", false), trying);
    JsonObject incoming = expect(bob, "CALL-INCOMING");
    assertEquals(callId, incoming.getString("callId"));
    assertEquals("alice", incoming.getString("from"));
    assertEquals("alice", incoming.getString("fromPeer"));
    assertEquals("video", incoming.getString("media"));
    assertEquals("hi", incoming.getJsonObject("metadata").getString("s"));
    assertEquals(clock.millis() + 60_000, incoming.getLong("expiresAt"));
    return callId;
  }

  @Test
  void aCallRingsIsAcceptedCarriesMediaAndIsHungUp() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      String callId = ring(alice, bob);
      assertTrue(callId.matches("[A-Za-z0-9_-]{22}"), callId);
      send(bob, "CALL-RINGING", id(callId));
      assertEquals(id(callId).put("peer", "bob"), expect(alice, "CALL-RINGING"));
      send(bob, "CALL-ACCEPT", id(callId));
      assertEquals(id(callId).put("peer", "bob"), expect(alice, "CALL-ACCEPTED"));
      assertEquals(id(callId).put("peer", "alice"), expect(bob, "CALL-ACCEPTED"));
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"type\":\"media\",\"connectionId\":\"mc_1\"}}");
      bob.expectType("OFFER");
      clock.advance(31_000);
      assertEquals(1, broker.calls().activeCalls());
      send(alice, "CALL-HANGUP", id(callId));
      expectEnded(alice, callId, "hangup");
      expectEnded(bob, callId, "hangup");
      assertEquals(0, broker.calls().activeCalls());
    }
  }

  @Test
  void aUserWithNoDeviceIsUnavailableAtOnce() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      send(alice, "CALL-INVITE", invite("nobody").put("callId", "c-1"));
      expectEnded(alice, "c-1", "unavailable");
    }
  }

  @Test
  void declineCancelAndMiss() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      String declined = ring(alice, bob);
      send(bob, "CALL-REJECT", id(declined).put("reason", "declined"));
      expectEnded(alice, declined, "declined");
      expectEnded(bob, declined, "declined");
      String cancelled = ring(alice, bob);
      send(alice, "CALL-CANCEL", id(cancelled));
      expectEnded(alice, cancelled, "cancelled");
      expectEnded(bob, cancelled, "cancelled");
      String missed = ring(alice, bob);
      clock.advance(60_000);
      expectEnded(alice, missed, "missed");
      expectEnded(bob, missed, "missed");
    }
  }

  @Test
  void anAcceptedCallWithoutOfferTimesOut() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      String callId = ring(alice, bob);
      send(bob, "CALL-ACCEPT", id(callId));
      expect(alice, "CALL-ACCEPTED");
      expect(bob, "CALL-ACCEPTED");
      clock.advance(30_000);
      expectEnded(alice, callId, "signalling_timeout");
      expectEnded(bob, callId, "signalling_timeout");
    }
  }

  @Test
  void glareMergesIntoOneCall() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      String callId = ring(alice, bob);
      send(bob, "CALL-INVITE", invite("alice").put("callId", "bobs"));
      assertEquals(id("bobs").put("reason", "answered_elsewhere").put("replacedBy", callId), expect(bob, "CALL-ENDED"));
      assertEquals(id(callId).put("peer", "alice"), expect(bob, "CALL-ACCEPTED"));
      assertEquals(id(callId).put("peer", "bob"), expect(alice, "CALL-ACCEPTED"));
    }
  }

  @Test
  void everyBadRequestIsAnErrorAndThePeerStays() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob");
         TestPeer eve = TestPeer.open(vertx, port, "eve")) {
      alice.send("{\"type\":\"CALL-INVITE\"}");
      expectError(alice, "invalid");
      alice.send("{\"type\":\"CALL-INVITE\",\"payload\":\"bob\"}");
      expectError(alice, "invalid");
      send(alice, "CALL-INVITE", new JsonObject());
      expectError(alice, "invalid");
      send(alice, "CALL-INVITE", new JsonObject().put("to", 7));
      expectError(alice, "invalid");
      send(alice, "CALL-INVITE", invite("bob").put("callId", "a b"));
      expectError(alice, "invalid");
      send(alice, "CALL-INVITE", invite("bob").put("callId", "x".repeat(65)));
      expectError(alice, "invalid");
      send(alice, "CALL-INVITE", invite("bob").put("ringMs", "soon"));
      expectError(alice, "invalid");
      send(alice, "CALL-INVITE", invite("bob").put("callId", "big").put("metadata", new JsonObject().put("s", "x".repeat(100))));
      assertEquals("big", expectError(alice, "invalid").getString("callId"));
      send(alice, "CALL-ACCEPT", new JsonObject());
      expectError(alice, "invalid");
      send(alice, "CALL-ACCEPT", id("nope"));
      assertEquals("nope", expectError(alice, "not_found").getString("callId"));

      String callId = ring(alice, bob);
      send(eve, "CALL-ACCEPT", id(callId));
      expectError(eve, "forbidden");
      send(eve, "CALL-HANGUP", id(callId));
      expectError(eve, "forbidden");
      send(alice, "CALL-ACCEPT", id(callId));
      expectError(alice, "forbidden");
      send(bob, "CALL-CANCEL", id(callId));
      expectError(bob, "forbidden");
      send(bob, "CALL-REJECT", id(callId).put("reason", "meh"));
      expectError(bob, "invalid");
      send(bob, "CALL-HANGUP", id(callId));
      expectError(bob, "state");
      send(alice, "CALL-INVITE", invite("bob").put("callId", callId));
      expectError(alice, "exists");
      send(eve, "CALL-INVITE", invite("alice").put("callId", "e1"));
      expect(eve, "CALL-TRYING");
      expect(alice, "CALL-INCOMING");
      send(alice, "CALL-INVITE", invite("carol"));
      expectError(alice, "limit");
      send(bob, "CALL-ACCEPT", id(callId));
      expect(alice, "CALL-ACCEPTED");
      expect(bob, "CALL-ACCEPTED");
      send(alice, "CALL-CANCEL", id(callId));
      expectError(alice, "state");
      send(alice, "CALL-HANGUP", id(callId).put("reason", "no spaces please"));
      expectError(alice, "invalid");
      send(alice, "CALL-HANGUP", id(callId).put("reason", "ice_failed"));
      assertEquals(id(callId).put("reason", "hangup").put("detail", "ice_failed"), expect(bob, "CALL-ENDED"));
      expectEnded(alice, callId, "hangup");
      assertTrue(!alice.isClosed() && !bob.isClosed() && !eve.isClosed());
    }
  }

  @Test
  void anXhrPeerTakesACall() {
    dev.switchboard.support.XhrPeer bob = dev.switchboard.support.XhrPeer.of(vertx, port, "bob");
    dev.switchboard.support.XhrPeer.Stream stream = bob.stream("i=0");
    assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      send(alice, "CALL-INVITE", invite("bob").put("callId", "x1"));
      expect(alice, "CALL-TRYING");
      JsonObject incoming = new JsonObject(stream.nextLine());
      assertEquals("CALL-INCOMING", incoming.getString("type"));
      assertEquals(200, bob.post("call-accept", "{\"type\":\"CALL-ACCEPT\",\"payload\":{\"callId\":\"x1\"}}").status());
      assertEquals(id("x1").put("peer", "bob"), expect(alice, "CALL-ACCEPTED"));
      assertEquals(new JsonObject().put("type", "CALL-ACCEPTED").put("payload", id("x1").put("peer", "alice")),
          new JsonObject(stream.nextLine()));
    } finally {
      stream.abort();
    }
  }

  @Test
  void callFramesAreNotRelayedAsSignals() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.send("{\"type\":\"CALL-ACCEPT\",\"dst\":\"bob\",\"payload\":{\"callId\":\"x\"}}");
      expectError(alice, "not_found");
      bob.expectNothing(Duration.ofMillis(200));
    }
  }
}
