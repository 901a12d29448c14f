package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.support.FakeLink;
import dev.switchboard.support.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing core with fake links and a hand-moved clock: the rules, without sockets or sleeping. */
class SignalRouterTest {
  private final ManualClock clock = new ManualClock();
  private final LocalPeerDirectory directory = new LocalPeerDirectory(TakeoverRule.SAME_TOKEN, 100);
  private final SignalRouter router = new SignalRouter(directory, new OfflineMailbox(3, 100), clock, 5000, 90_000,
      new BrokerListener() { });

  private FakeLink connect(String id, String token) {
    FakeLink link = new FakeLink(id, token, clock.millis());
    assertTrue(router.connect(link).result());
    return link;
  }

  private void send(FakeLink from, String json) {
    router.receive(from, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMessageForwardedByAnotherNodeThatArrivesAfterExpireTimeoutIsDroppedAndItsSenderToldExpire() {
    FakeLink alice = connect("alice", "t");
    FakeLink bob = connect("bob", "t");
    long sentAt = clock.millis();
    byte[] candidate = "{\"type\":\"CANDIDATE\",\"src\":\"alice\",\"dst\":\"bob\"}".getBytes(StandardCharsets.UTF_8);
    clock.advance(5000);
    router.deliverForwarded("alice", MessageType.CANDIDATE, "bob", candidate, sentAt * 1000);
    assertEquals(List.of("{\"type\":\"OPEN\"}", new String(candidate, StandardCharsets.UTF_8)), bob.sent,
        "a message held up for exactly expire_timeout is still delivered");
    clock.advance(1);
    router.deliverForwarded("alice", MessageType.CANDIDATE, "bob", candidate, sentAt * 1000);
    assertEquals(2, bob.sent.size(), "a stale message was delivered late");
    assertEquals("{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"alice\"}", alice.sent.get(alice.sent.size() - 1));
    router.deliverForwarded("alice", MessageType.LEAVE, "bob", candidate, sentAt * 1000);
    assertEquals(2, bob.sent.size());
    assertEquals(2, alice.sent.size(), "EXPIRE is told only for messages that would have been queued");
  }

  @Test
  void aPeerSilentForAliveTimeoutIsEndedAndItsIdFreed() {
    FakeLink alice = connect("alice", "t");
    clock.advance(90_000);
    router.sweepSilentPeers();
    assertNull(alice.closedWith);
    clock.advance(1);
    router.sweepSilentPeers();
    assertEquals(CloseReason.TIMED_OUT, alice.closedWith);
    assertNull(directory.lookup("alice"));
  }

  @Test
  void anyFrameCountsAsLifeNotOnlyHeartbeat() {
    FakeLink alice = connect("alice", "t");
    connect("bob", "t");
    clock.advance(60_000);
    send(alice, "{\"type\":\"CANDIDATE\",\"dst\":\"bob\"}");
    clock.advance(60_000);
    router.sweepSilentPeers();
    assertNull(alice.closedWith);
    send(alice, "not even json");
    clock.advance(60_000);
    router.sweepSilentPeers();
    assertNull(alice.closedWith);
  }

  @Test
  void queuedMessagesFollowOpenWhenThePeerArrives() {
    FakeLink alice = connect("alice", "t");
    send(alice, "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1}");
    send(alice, "{\"type\":\"LEAVE\",\"dst\":\"bob\"}");
    send(alice, "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":2}");
    FakeLink bob = connect("bob", "t");
    assertEquals(List.of("{\"type\":\"OPEN\"}",
        "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1,\"src\":\"alice\"}",
        "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":2,\"src\":\"alice\"}"), bob.sent);
  }

  @Test
  void sendersOfAnExpiredQueueAreEachToldOnce() {
    FakeLink alice = connect("alice", "t");
    FakeLink carol = connect("carol", "t");
    send(alice, "{\"type\":\"OFFER\",\"dst\":\"bob\"}");
    send(alice, "{\"type\":\"CANDIDATE\",\"dst\":\"bob\"}");
    send(carol, "{\"type\":\"OFFER\",\"dst\":\"bob\"}");
    clock.advance(4999);
    router.sweepMailbox();
    assertEquals(1, alice.sent.size());
    clock.advance(1);
    router.sweepMailbox();
    assertEquals(List.of("{\"type\":\"OPEN\"}", "{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"alice\"}"), alice.sent);
    assertEquals(List.of("{\"type\":\"OPEN\"}", "{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"carol\"}"), carol.sent);
    FakeLink bob = connect("bob", "t");
    assertEquals(List.of("{\"type\":\"OPEN\"}"), bob.sent);
  }

  @Test
  void overflowTellsTheSenderAtOnceAndKeepsWhatWasQueued() {
    FakeLink alice = connect("alice", "t");
    for (int i = 0; i < 5; i++) {
      send(alice, "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":" + i + "}");
    }
    assertEquals(List.of("{\"type\":\"OPEN\"}", "{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"alice\"}"), alice.sent);
    FakeLink bob = connect("bob", "t");
    assertEquals(4, bob.sent.size()); // OPEN and the three that fitted
  }

  @Test
  void theSameTokenReplacesAndAnotherTokenIsRefused() {
    FakeLink first = connect("alice", "t");
    FakeLink second = connect("alice", "t");
    assertEquals(CloseReason.SUPERSEDED, first.closedWith);
    assertSame(second, directory.lookup("alice"));
    FakeLink thief = new FakeLink("alice", "other", clock.millis());
    assertFalse(router.connect(thief).result());
    assertEquals(CloseReason.ID_TAKEN, thief.closedWith);
  }
}
