package dev.switchboard.routing;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * One sender flooding absent peers fills only its own share of the queues: it is told EXPIRE once per
   * queue, and another sender's messages still queue, for the same peer and for others.
   */
  @Test
  void aFlooderHitsItsOwnBoundAndOthersStillQueue(Vertx vertx) {
    int share = 64 * 1024;
    int flooderPort = Brokers.start(vertx, Brokers.options().setExpireTimeout(60_000)
        .setMaxQueueBytesPerSender(share)).actualPort();
    String candidate = "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"" + "x".repeat(4000) + "\"}";
    try (TestPeer mallory = TestPeer.open(vertx, flooderPort, "mallory");
         TestPeer alice = TestPeer.open(vertx, flooderPort, "alice")) {
      for (int i = 0; i < 40; i++) { // 160 KB, well past the 64 KiB share
        mallory.send(candidate);
      }
      assertEquals("{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"mallory\"}", mallory.nextText());
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"alice\"}");
      alice.send("{\"type\":\"OFFER\",\"dst\":\"carol\",\"payload\":\"alice\"}");
      try (TestPeer carol = TestPeer.connect(vertx, flooderPort, "carol", "t");
           TestPeer bob = TestPeer.connect(vertx, flooderPort, "bob", "t")) {
        carol.expectType("OPEN");
        assertEquals("alice", carol.expectType("OFFER").getString("payload"));
        bob.expectType("OPEN");
        int fromMallory = 0;
        JsonObject next;
        while ((next = bob.next()).getString("src").equals("mallory")) {
          fromMallory++;
        }
        assertEquals("alice", next.getString("payload"));
        assertTrue(fromMallory > 0 && fromMallory * candidate.length() <= share, fromMallory + " from mallory");
      }
      mallory.expectNothing(Duration.ofMillis(100)); // told once for bob's queue
    }
  }
}
