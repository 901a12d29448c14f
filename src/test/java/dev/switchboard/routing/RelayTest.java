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

/** Relay between connected peers: exact bytes, src set by the server, order, and what is not relayed. */
@ExtendWith(VertxExtension.class)
class RelayTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options()).actualPort();
  }

  @Test
  void signalsArriveAsPeerServerWritesThem() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      // PeerJS writes {type, payload, dst}; PeerServer forwards JSON.stringify({...message, src}).
      for (String type : new String[] {"OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE"}) {
        alice.send("{\"type\":\"" + type + "\",\"payload\":{\"sdp\":\"v=0\\r\\n\",\"n\":[1,2]},\"dst\":\"bob\"}");
        assertEquals("{\"type\":\"" + type + "\",\"payload\":{\"sdp\":\"v=0\\r\\n\",\"n\":[1,2]},\"dst\":\"bob\",\"src\":\"alice\"}",
            bob.nextText());
      }
    }
  }

  @Test
  void srcWrittenByTheClientIsReplacedInPlace() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.send("{\"type\":\"OFFER\",\"src\":\"mallory\",\"dst\":\"bob\",\"payload\":{}}");
      assertEquals("{\"type\":\"OFFER\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":{}}", bob.nextText());
    }
  }

  @Test
  void heartbeatUnknownAndServerTypesAreNotRelayed() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.send("{\"type\":\"HEARTBEAT\"}");
      alice.send("{\"type\":\"HEARTBEAT\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"WHISPER\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"OPEN\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"ERROR\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"ID-TAKEN\",\"dst\":\"bob\"}");
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"last\"}");
      assertEquals("last", bob.next().getString("payload"));
      alice.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void orderIsKeptPerSenderAndReceiverAcrossEventLoops() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer carol = TestPeer.open(vertx, port, "carol");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      int count = 500;
      for (int i = 0; i < count; i++) {
        alice.send(new JsonObject().put("type", "CANDIDATE").put("dst", "bob").put("payload", i));
        carol.send(new JsonObject().put("type", "CANDIDATE").put("dst", "bob").put("payload", i));
      }
      int nextFromAlice = 0;
      int nextFromCarol = 0;
      for (int i = 0; i < 2 * count; i++) {
        final int got = i;
        JsonObject message;
        try {
          message = bob.next();
        } catch (AssertionError e) {
          throw new AssertionError("after " + got + " messages (alice " + nextFromAlice + ", carol " + nextFromCarol + ")", e);
        }
        if (message.getString("src").equals("alice")) {
          assertEquals(nextFromAlice++, (int) message.getInteger("payload"));
        } else {
          assertEquals(nextFromCarol++, (int) message.getInteger("payload"));
        }
      }
      assertEquals(count, nextFromAlice);
      assertEquals(count, nextFromCarol);
    }
  }

  @Test
  void aPeerMaySignalItself() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send("{\"type\":\"OFFER\",\"dst\":\"alice\"}");
      assertEquals("{\"type\":\"OFFER\",\"dst\":\"alice\",\"src\":\"alice\"}", alice.nextText());
    }
  }

  @Test
  void leaveWithoutDstEndsTheSenderAndFreesItsId() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send("{\"type\":\"LEAVE\"}");
      assertEquals((int) 1000, (int) alice.awaitClose().code());
    }
    try (TestPeer again = TestPeer.connect(vertx, port, "alice", "another-token")) {
      again.expectType("OPEN");
    }
  }
}
