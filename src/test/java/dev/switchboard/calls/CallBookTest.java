package dev.switchboard.calls;

import dev.switchboard.support.ManualClock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call state machine alone: no I/O, time moved by hand. */
class CallBookTest {
  private final ManualClock clock = new ManualClock();
  private final AtomicInteger ids = new AtomicInteger();
  private final CallLimits limits = new CallLimits(2, 3, 3_600_000, 4096, 30_000);
  private final CallBook book = new CallBook(clock, limits, () -> "gen" + ids.incrementAndGet());

  private static CallRequests.Invite invite(String callId, String to) {
    return new CallRequests.Invite(callId, to, "video", 60_000, new JsonObject().put("subject", "hi"));
  }

  private static JsonObject only(Effects fx, String peer, String type) {
    List<Effects.Send> sends = fx.to(peer);
    assertEquals(1, sends.size(), () -> peer + " got " + sends);
    assertEquals(type, sends.get(0).type(), () -> peer + " got " + sends);
    return sends.get(0).payload();
  }

  private static String reason(Effects fx, String peer) {
    return only(fx, peer, "CALL-ENDED").getString("reason");
  }

  private Effects ringTwo() {
    return book.invite("a1", "alice", invite("c1", "bob"), List.of("b1", "b2"), 0);
  }

  @Test
  void inviteRingsEveryDeviceAndTellsTheCaller() {
    Effects fx = ringTwo();
    JsonObject trying = only(fx, "a1", "CALL-TRYING");
    assertEquals(new JsonObject().put("callId", "c1").put("devices", 2).put("woken", false), trying);
    JsonObject incoming = only(fx, "b1", "CALL-INCOMING");
    assertEquals("alice", incoming.getString("from"));
    assertEquals("a1", incoming.getString("fromPeer"));
    assertEquals("video", incoming.getString("media"));
    assertEquals("hi", incoming.getJsonObject("metadata").getString("subject"));
    assertEquals(clock.millis() + 60_000, incoming.getLong("expiresAt"));
    only(fx, "b2", "CALL-INCOMING");
    assertEquals(2, book.count("b1") + book.count("b2"));
  }

  @Test
  void anInviteWithoutCallIdGetsOne() {
    Effects fx = book.invite("a1", "alice", invite(null, "bob"), List.of("b1"), 0);
    assertEquals("gen1", only(fx, "a1", "CALL-TRYING").getString("callId"));
    assertEquals("gen1", only(fx, "b1", "CALL-INCOMING").getString("callId"));
  }

  @Test
  void noDeviceEndsAtOnceAsUnavailable() {
    Effects fx = book.invite("a1", "alice", invite("c1", "bob"), List.of(), 0);
    assertEquals("unavailable", reason(fx, "a1"));
    assertFalse(book.has("c1"));
  }

  @Test
  void theCallerIsNeverRungForItsOwnCall() {
    Effects fx = book.invite("a1", "alice", invite("c1", "alice"), List.of("a1"), 0);
    assertEquals("unavailable", reason(fx, "a1"));
  }

  @Test
  void aWokenUserRingsWithoutDevices() {
    Effects fx = book.invite("a1", "alice", invite("c1", "bob"), List.of(), 1);
    assertEquals(true, only(fx, "a1", "CALL-TRYING").getBoolean("woken"));
    assertTrue(book.has("c1"));
  }

  @Test
  void aFailedWakeUpEndsTheCallUnavailableUnlessADeviceRingsMeanwhile() {
    book.invite("a1", "alice", invite("c1", "bob"), List.of(), 1);
    Effects ended = book.wakeFailed("c1");
    assertEquals("unavailable", reason(ended, "a1"));
    assertFalse(book.has("c1"));
    assertTrue(book.wakeFailed("c1").sends().isEmpty());
    book.invite("a1", "alice", invite("c2", "bob"), List.of(), 1);
    book.connected("b1", "bob");
    assertTrue(book.wakeFailed("c2").sends().isEmpty());
    assertTrue(book.has("c2"));
  }

  @Test
  void aDeviceThatConnectsWhileItRingsIsRungToo() {
    ringTwo();
    assertEquals("c1", only(book.connected("b3", "bob"), "b3", "CALL-INCOMING").getString("callId"));
    assertTrue(book.connected("b3", "bob").sends().isEmpty(), "rung once");
    assertTrue(book.connected("c1", "carol").sends().isEmpty());
    book.accept("b3", "c1");
    assertTrue(book.connected("b4", "bob").sends().isEmpty(), "an accepted call rings no more");
  }

  @Test
  void theFirstDeviceToRingIsToldOnce() {
    ringTwo();
    assertEquals("b2", only(book.ringing("b2", "c1"), "a1", "CALL-RINGING").getString("peer"));
    assertTrue(book.ringing("b1", "c1").sends().isEmpty());
  }

  @Test
  void theFirstAcceptWinsAndTheOthersAreAnsweredElsewhere() {
    ringTwo();
    Effects fx = book.accept("b2", "c1");
    assertEquals("b2", only(fx, "a1", "CALL-ACCEPTED").getString("peer"));
    assertEquals("a1", only(fx, "b2", "CALL-ACCEPTED").getString("peer"));
    assertEquals("answered_elsewhere", reason(fx, "b1"));
    CallError late = assertThrows(CallError.class, () -> book.accept("b1", "c1"));
    assertEquals(CallError.STATE, late.code());
    assertEquals(0, book.count("b1"));
  }

  @Test
  void declinedEndsTheCallEverywhere() {
    ringTwo();
    Effects fx = book.reject("b1", "c1", "declined");
    assertEquals("declined", reason(fx, "a1"));
    assertEquals("declined", reason(fx, "b1"));
    assertEquals("rejected_elsewhere", reason(fx, "b2"));
    assertFalse(book.has("c1"));
  }

  @Test
  void busyRemovesADeviceAndTheLastOneEndsTheCall() {
    ringTwo();
    Effects first = book.reject("b1", "c1", "busy");
    assertEquals("busy", reason(first, "b1"));
    assertTrue(first.to("a1").isEmpty());
    Effects last = book.reject("b2", "c1", "busy");
    assertEquals("busy", reason(last, "a1"));
    assertFalse(book.has("c1"));
  }

  @Test
  void ringTimeIsUpAsMissed() {
    ringTwo();
    clock.advance(59_999);
    assertTrue(book.sweep().sends().isEmpty());
    clock.advance(1);
    Effects fx = book.sweep();
    assertEquals("missed", reason(fx, "a1"));
    assertEquals("missed", reason(fx, "b1"));
    assertEquals("missed", reason(fx, "b2"));
  }

  @Test
  void ringMsIsClamped() {
    assertEquals(5_000, CallLimits.ringMs(10L));
    assertEquals(180_000, CallLimits.ringMs(1_000_000L));
    assertEquals(60_000, CallLimits.ringMs(null));
    assertEquals(7_000, CallLimits.ringMs(7_000L));
  }

  @Test
  void noOfferWithinThirtySecondsOfTheAcceptIsASignallingTimeout() {
    ringTwo();
    book.accept("b1", "c1");
    clock.advance(30_000);
    Effects fx = book.sweep();
    assertEquals("signalling_timeout", reason(fx, "a1"));
    assertEquals("signalling_timeout", reason(fx, "b1"));
  }

  @Test
  void anOfferBetweenThePartiesKeepsTheCall() {
    ringTwo();
    book.accept("b1", "c1");
    assertTrue(book.media("a1", "zz").events().isEmpty());
    assertEquals(Effects.Kind.MEDIA, book.media("a1", "b1").events().get(0).kind());
    clock.advance(31_000);
    assertTrue(book.sweep().sends().isEmpty());
    assertTrue(book.has("c1"));
  }

  @Test
  void aCallEndsAtItsLifetime() {
    ringTwo();
    book.accept("b1", "c1");
    book.media("b1", "a1");
    clock.advance(3_600_000);
    Effects fx = book.sweep();
    JsonObject ended = only(fx, "a1", "CALL-ENDED");
    assertEquals("hangup", ended.getString("reason"));
    assertEquals("max_duration", ended.getString("detail"));
  }

  @Test
  void cancelAndHangup() {
    ringTwo();
    assertEquals(CallError.FORBIDDEN, assertThrows(CallError.class, () -> book.cancel("b1", "c1")).code());
    Effects cancelled = book.cancel("a1", "c1");
    assertEquals("cancelled", reason(cancelled, "b1"));
    assertEquals("cancelled", reason(cancelled, "a1"));
    book.invite("a1", "alice", invite("c2", "bob"), List.of("b1"), 0);
    book.accept("b1", "c2");
    assertEquals(CallError.STATE, assertThrows(CallError.class, () -> book.cancel("a1", "c2")).code());
    Effects hung = book.hangup("b1", "c2", "ice_failed");
    assertEquals("hangup", reason(hung, "a1"));
    assertEquals("ice_failed", only(hung, "a1", "CALL-ENDED").getString("detail"));
    assertEquals("hangup", reason(hung, "b1"));
  }

  @Test
  void onlyThePartiesMayAct() {
    ringTwo();
    assertEquals(CallError.FORBIDDEN, assertThrows(CallError.class, () -> book.accept("eve", "c1")).code());
    assertEquals(CallError.FORBIDDEN, assertThrows(CallError.class, () -> book.accept("a1", "c1")).code());
    assertEquals(CallError.NOT_FOUND, assertThrows(CallError.class, () -> book.accept("b1", "nope")).code());
    assertEquals(CallError.EXISTS, assertThrows(CallError.class, () -> ringTwo()).code());
  }

  @Test
  void glareMergesTheLaterInviteIntoTheRingingCall() {
    ringTwo();
    Effects fx = book.invite("b2", "bob", invite("c9", "alice"), List.of("a1"), 0);
    List<Effects.Send> toB2 = fx.to("b2");
    assertEquals("CALL-ENDED", toB2.get(0).type());
    assertEquals(new JsonObject().put("callId", "c9").put("reason", "answered_elsewhere").put("replacedBy", "c1"),
        toB2.get(0).payload());
    assertEquals(new JsonObject().put("callId", "c1").put("peer", "a1"), toB2.get(1).payload());
    assertEquals("b2", only(fx, "a1", "CALL-ACCEPTED").getString("peer"));
    assertEquals("answered_elsewhere", reason(fx, "b1"));
    assertFalse(book.has("c9"));
  }

  @Test
  void aSecondInviteTheSameWayWhileOneRingsIsRefused() {
    ringTwo();
    CallError e = assertThrows(CallError.class,
        () -> book.invite("a2", "alice", invite("c2", "bob"), List.of("b1"), 0));
    assertEquals(CallError.EXISTS, e.code());
    assertEquals("c1", e.callId());
  }

  @Test
  void callsArePerPeerAndPerNodeBounded() {
    book.invite("a1", "alice", invite("c1", "bob"), List.of("b1"), 0);
    book.invite("a1", "alice", invite("c2", "carol"), List.of("k1"), 0);
    assertEquals(CallError.LIMIT, assertThrows(CallError.class,
        () -> book.invite("a1", "alice", invite("c3", "dave"), List.of("d1"), 0)).code());
    // A device in as many calls as it may be is not rung: busy when none is left.
    book.invite("x1", "xavier", invite("c3", "bob"), List.of("b1"), 0);
    assertEquals(CallError.LIMIT, assertThrows(CallError.class,
        () -> book.invite("y1", "yves", invite("c4", "zoe"), List.of("z1"), 0)).code());
  }

  @Test
  void aDeviceAtItsBoundIsNotRung() {
    CallBook roomy = new CallBook(clock, new CallLimits(1, 10, 3_600_000, 4096, 30_000), () -> "g");
    roomy.invite("a1", "alice", invite("c1", "bob"), List.of("b1"), 0);
    Effects fx = roomy.invite("x1", "xavier", invite("c2", "bob"), List.of("b1"), 0);
    assertEquals("busy", reason(fx, "x1"));
  }

  @Test
  void aGonePartyEndsTheCallForTheOthers() {
    ringTwo();
    Effects ringingGone = book.gone("b1");
    assertTrue(ringingGone.sends().isEmpty());
    assertEquals("remote_disconnected", reason(book.gone("b2"), "a1"));
    ringTwo();
    book.accept("b1", "c1");
    Effects fx = book.gone("a1");
    assertEquals("remote_disconnected", reason(fx, "b1"));
    assertFalse(book.has("c1"));
  }
}
