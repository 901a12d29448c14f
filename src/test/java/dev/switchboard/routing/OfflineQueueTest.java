package dev.switchboard.routing;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Messages for an absent peer over real sockets: delivered after OPEN, or EXPIRE to the sender. */
@ExtendWith(VertxExtension.class)
class OfflineQueueTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options().setExpireTimeout(300).setMaxQueuePerPeer(2)).actualPort();
  }

  @Test
  void messagesForAnAbsentPeerArriveAfterItsOpenInOrder() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1}");
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":2}");
      try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "t")) {
        bob.expectType("OPEN");
        assertEquals("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1,\"src\":\"alice\"}", bob.nextText());
        assertEquals("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":2,\"src\":\"alice\"}", bob.nextText());
        alice.send("{\"type\":\"ANSWER\",\"dst\":\"bob\",\"payload\":3}");
        assertEquals(3, (int) bob.expectType("ANSWER").getInteger("payload"));
      }
    }
  }

  @Test
  void theSenderGetsOneExpireWhenThePeerDoesNotComeInTime() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\"}");
      assertEquals("{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"alice\"}", alice.nextText());
      alice.expectNothing(Duration.ofMillis(400));
      try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "t")) {
        bob.expectType("OPEN");
        bob.expectNothing(Duration.ofMillis(100));
      }
    }
  }

  @Test
  void leaveAndExpireForAnAbsentPeerAreDropped() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send("{\"type\":\"LEAVE\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"EXPIRE\",\"dst\":\"bob\"}");
      // A frame to herself comes back only after the broker handled the two before it.
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\"}");
      alice.expectType("CANDIDATE");
      try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "t")) {
        bob.expectType("OPEN");
        alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"first\"}");
        assertEquals("first", bob.expectType("OFFER").getString("payload"));
      }
      alice.expectNothing(Duration.ofMillis(400));
    }
  }

  @Test
  void aFullQueueTellsTheSenderAtOnce() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":1}");
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":2}");
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":3}");
      assertEquals("{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"alice\"}", alice.nextText());
      try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "t")) {
        bob.expectType("OPEN");
        assertEquals(1, (int) bob.expectType("CANDIDATE").getInteger("payload"));
        assertEquals(2, (int) bob.expectType("CANDIDATE").getInteger("payload"));
      }
    }
  }
}
