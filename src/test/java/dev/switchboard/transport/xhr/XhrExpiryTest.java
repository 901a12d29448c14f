package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead XHR peers: one whose last stream closed is removed after the grace period, like a closed
 * WebSocket (and messages for it then expire like for any absent peer); silent ones time out; idle
 * polls are answered empty. Time is a {@link ManualClock}.
 */
@ExtendWith(VertxExtension.class)
class XhrExpiryTest {
  private static final long GRACE = 3_000;
  private static final long POLL_TIMEOUT = 10_000;
  private Vertx vertx;
  private ManualClock clock;
  private Switchboard broker;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    clock = new ManualClock();
    broker = Brokers.start(vertx, Brokers.options().setXhrGracePeriod(GRACE).setXhrPollTimeout(POLL_TIMEOUT)
        .setExpireTimeout(2_000).setAliveTimeout(60_000), clock);
    port = broker.actualPort();
  }

  @Test
  void aPeerWithoutStreamIsKeptThroughTheGracePeriodThenRemoved() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = alice.stream("i=0");
      stream.firstMessage();
      stream.abort();
      clock.advance(GRACE - 1);
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":\"held\"}");
      // Still registered: a stream opened now gets what was sent meanwhile, and no OPEN.
      XhrPeer.Stream next = alice.stream("i=1");
      next.nextLine();
      assertEquals("held", new io.vertx.core.json.JsonObject(next.nextLine()).getString("payload"));
      next.abort();
      advanceUntilPeers(1);
    }
  }

  @Test
  void messagesForARemovedXhrPeerExpireToTheirSender() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.stream("i=0").firstMessage();
      alice.stream("i=1").abort(); // rotation whose new stream dies: the old one was ended by the server
      advanceUntilPeers(1);
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\"}");
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"mark\"}");
      assertEquals("mark", bob.next().getString("payload")); // the OFFER was queued before time moves
      clock.advance(2_000);
      assertEquals("{\"type\":\"EXPIRE\",\"src\":\"alice\",\"dst\":\"bob\"}", bob.nextText());
    }
  }

  @Test
  void aSilentXhrPeerTimesOutLikeAWebSocketPeer() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice")) {
      XhrPeer.Stream stream = alice.stream("i=0&ack=0");
      stream.firstMessage();
      clock.advance(30_000);
      assertEquals(200, alice.post("heartbeat", "{\"type\":\"HEARTBEAT\"}").status());
      clock.advance(40_000);
      awaitPeers(1);
      clock.advance(30_000);
      awaitPeers(0);
      stream.awaitEnd();
    }
  }

  @Test
  void anIdlePollIsAnsweredEmptyAndThePeerStays() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice")) {
      alice.stream("i=0&ack=0&poll=1").awaitEnd();
      XhrPeer.Stream idle = alice.stream("i=1&ack=1&poll=1");
      clock.advance(POLL_TIMEOUT);
      assertEquals("", idle.awaitEnd());
      assertTrue(idle.linesSoFar().isEmpty());
      assertEquals(1, broker.peerCount());
    }
  }

  // The server notices a dropped stream a moment after the client drops it; time moves on until the
  // peer is gone, in steps of the grace period.
  private void advanceUntilPeers(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (broker.peerCount() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " peers, have " + broker.peerCount());
      }
      clock.advance(GRACE);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private void awaitPeers(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    BooleanSupplier reached = () -> broker.peerCount() == count;
    while (!reached.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " peers, have " + broker.peerCount());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
