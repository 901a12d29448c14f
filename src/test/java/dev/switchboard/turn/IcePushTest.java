package dev.switchboard.turn;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.PeerLocation;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.FakeLink;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ICE-SERVERS frames: after OPEN, again before half the ttl has passed (by the broker's clock), never after the peer left. */
@ExtendWith(VertxExtension.class)
class IcePushTest {
  private static final long TTL = 600;
  private static final long REFRESH_MS = TTL * 1000 * 2 / 5;
  // Moving the clock past a refresh must not time the test peers out (alive_timeout counts by the same clock).
  private static final long ALIVE_MS = 100 * TTL * 1000;

  @Test
  void aPeerGetsCredentialsAfterOpenAndFreshOnesBeforeHalfTheTtl(Vertx vertx) {
    ManualClock clock = new ManualClock();
    clock.advance(1_700_000_000_000L - clock.millis());
    Switchboard broker = Brokers.start(vertx, IceHttpTest.jwt().setAliveTimeout(ALIVE_MS), clock);
    try (TestPeer alice = TestPeer.connect(vertx, broker.actualPort(), "alice", Tokens.hs256(SECRET, claims("alice")))) {
      alice.expectType("OPEN");
      JsonObject first = alice.expectType("ICE-SERVERS").getJsonObject("payload");
      assertEquals("1700000600:alice", username(first));
      assertEquals(1_700_000_600_000L, first.getLong("expiresAt"));
      assertEquals(TTL, first.getLong("ttl"));
      assertEquals(TurnCredentials.password(IceHttpTest.TURN_SECRET, "1700000600:alice"),
          first.getJsonArray("iceServers").getJsonObject(0).getString("credential"));

      clock.advance(REFRESH_MS - 1);
      broker.turn().sweep();
      echo(alice, "alice"); // nothing due yet: the next frame is the echo
      clock.advance(1);
      broker.turn().sweep();
      JsonObject second = alice.expectType("ICE-SERVERS").getJsonObject("payload");
      assertEquals((1_700_000_000_000L + REFRESH_MS) / 1000 + TTL + ":alice", username(second));
      assertTrue(REFRESH_MS < TTL * 1000 / 2, "refreshed before half the ttl");
      clock.advance(REFRESH_MS);
      broker.turn().sweep();
      alice.expectType("ICE-SERVERS");
    }
  }

  @Test
  void theTimerRefreshesWithoutBeingAsked(Vertx vertx) {
    ManualClock clock = new ManualClock();
    Switchboard broker = Brokers.start(vertx, IceHttpTest.jwt().setAliveTimeout(ALIVE_MS), clock);
    try (TestPeer bob = TestPeer.connect(vertx, broker.actualPort(), "bob", Tokens.hs256(SECRET, claims("bob")))) {
      bob.expectType("OPEN");
      bob.expectType("ICE-SERVERS");
      clock.advance(REFRESH_MS);
      bob.expectType("ICE-SERVERS"); // the periodic sweep (every second at most) finds it due
    }
  }

  @Test
  void aPeerThatLeftIsNoLongerScheduled(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, IceHttpTest.jwt(), new ManualClock());
    TestPeer carol = TestPeer.connect(vertx, broker.actualPort(), "carol", Tokens.hs256(SECRET, claims("carol")));
    carol.expectType("OPEN");
    carol.expectType("ICE-SERVERS");
    assertEquals(1, broker.turn().push().scheduled());
    var gone = Brokers.disconnectOf(broker, "carol");
    carol.close();
    Await.until("carol's disconnect", gone::isDone, 10);
    assertEquals(0, broker.turn().push().scheduled());
  }

  @Test
  void anonymousPeersAreSkippedUnlessAllowedAndThenSignedWithTheirPeerId(Vertx vertx) {
    Switchboard closed = Brokers.start(vertx, IceHttpTest.withTurn(Brokers.options()), new ManualClock());
    try (TestPeer peer = TestPeer.open(vertx, closed.actualPort(), "dave")) {
      echo(peer, "dave"); // the echo comes first: no ICE-SERVERS was pushed
      assertEquals(0, closed.turn().push().scheduled());
    }
    Switchboard open = Brokers.start(vertx, IceHttpTest.withTurn(Brokers.options())
        .set(TurnSettings.TURN_ALLOW_ANONYMOUS, true), new ManualClock());
    try (TestPeer peer = TestPeer.open(vertx, open.actualPort(), "dave")) {
      assertTrue(username(peer.expectType("ICE-SERVERS").getJsonObject("payload")).endsWith(":dave"));
    }
  }

  @Test
  void theQueueStaysBoundedByConnectedPeersThroughChurn() {
    ManualClock clock = new ManualClock();
    List<String> sentTo = new CopyOnWriteArrayList<>();
    IcePush push = new IcePush(recordingBroker(clock, sentTo), link -> new JsonObject().put("iceServers", List.of()),
        1000, () -> { });
    FakeLink stays = new FakeLink("stays", "t", 0);
    push.peerConnected(stays);
    for (int i = 0; i < 10_000; i++) {
      FakeLink churn = new FakeLink("p" + i, "t", 0);
      push.peerConnected(churn);
      push.peerDisconnected(churn, CloseReason.CLIENT_CLOSED);
    }
    assertEquals(1, push.scheduled());
    assertTrue(push.queued() <= 2 + 64 + 1, "queue holds " + push.queued());
    // A takeover's new link replaces the old one; the old link's disconnect does not cancel it.
    FakeLink newer = new FakeLink("stays", "t", 0);
    push.peerConnected(newer);
    push.peerDisconnected(stays, CloseReason.TAKEN_OVER);
    assertEquals(1, push.scheduled());
    sentTo.clear();
    clock.advance(1000);
    push.sweep();
    assertEquals(List.of("stays"), sentTo);
    assertFalse(push.queued() > push.scheduled() + 65);
  }

  @Test
  void theNextRefreshCountsFromWhenTheCredentialsWereIssuedNotFromAfterTheirSend() {
    ManualClock clock = new ManualClock();
    long issuedAt = clock.millis();
    List<String> sentTo = new CopyOnWriteArrayList<>();
    // A send that takes a while (or a test that moves the clock as soon as the frame arrives).
    Broker slow = recordingBroker(clock, sentTo);
    Broker sendTakes500 = new Broker() {
      @Override public boolean send(String peerId, byte[] message) { return slow.send(peerId, message); }
      @Override public boolean send(String peerId, String type, JsonObject payload) { clock.advance(500); return slow.send(peerId, type, payload); }
      @Override public void relay(PeerLink from, ClientFrame frame) { }
      @Override public void end(PeerLink peer, CloseReason reason) { }
      @Override public boolean end(String peerId, CloseReason reason) { return false; }
      @Override public PeerLocation lookup(String peerId) { return null; }
      @Override public Future<List<String>> peersOfUser(String userId) { return slow.peersOfUser(userId); }
      @Override public Clock clock() { return clock; }
    };
    IcePush push = new IcePush(sendTakes500, link -> new JsonObject(), 1000, () -> { });
    push.peerConnected(new FakeLink("erin", "t", 0));
    clock.advance(issuedAt + 1000 - clock.millis());
    push.sweep();
    assertEquals(List.of("erin", "erin"), sentTo, "refresh due 1000 ms after the credentials were issued");
  }

  private static String username(JsonObject payload) {
    return payload.getJsonArray("iceServers").getJsonObject(0).getString("username");
  }

  // LEAVE to itself is relayed back like any signal: proves what was (not) sent before it.
  private static void echo(TestPeer peer, String id) {
    peer.send(new JsonObject().put("type", "LEAVE").put("dst", id));
    assertEquals(id, peer.expectType("LEAVE").getString("src"));
  }

  private static Broker recordingBroker(Clock clock, List<String> sentTo) {
    return new Broker() {
      @Override public boolean send(String peerId, byte[] message) { sentTo.add(peerId); return true; }
      @Override public boolean send(String peerId, String type, JsonObject payload) { sentTo.add(peerId); return true; }
      @Override public void relay(PeerLink from, ClientFrame frame) { }
      @Override public void end(PeerLink peer, CloseReason reason) { }
      @Override public boolean end(String peerId, CloseReason reason) { return false; }
      @Override public PeerLocation lookup(String peerId) { return null; }
      @Override public Future<List<String>> peersOfUser(String userId) { return Future.succeededFuture(List.of()); }
      @Override public Clock clock() { return clock; }
    };
  }
}
