package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PeerJS 0.3.x opens its XHR stream and its WebSocket at once, with the same id and token. Whichever
 * reaches the broker first, the client gets exactly one OPEN, no ERROR, and its messages over the
 * WebSocket once that is there (PeerServer 0.2.10's behaviour).
 */
@ExtendWith(VertxExtension.class)
class LegacyDualTransportTest {
  private Vertx vertx;
  private Switchboard broker;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options());
    port = broker.actualPort();
  }

  @Test
  void streamFirstThenWebSocketTakesOverQuietly() {
    try (XhrPeer xhr = XhrPeer.of(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = xhr.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
      try (TestPeer ws = TestPeer.connect(vertx, port, "alice", "token-alice")) {
        // No second OPEN over the WebSocket, and the stream ends without an ERROR line.
        assertEquals("", stream.awaitEnd());
        assertEquals(java.util.List.of(), stream.linesSoFar());
        bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":\"over ws\"}");
        assertEquals("over ws", ws.next().getString("payload"));
        assertEquals(2, broker.peerCount());
      }
    }
  }

  @Test
  void webSocketFirstThenTheStreamStandsBy() {
    try (TestPeer ws = TestPeer.open(vertx, port, "alice");
         XhrPeer xhr = XhrPeer.of(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = xhr.stream("i=0");
      assertEquals(200, stream.status);
      stream.nextLine(); // padding only
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":\"over ws\"}");
      assertEquals("over ws", ws.next().getString("payload"));
      stream.expectNothing(50);
      ws.expectNothing(Duration.ofMillis(20));
      // The client drops the stream once its WebSocket is open; the WebSocket peer is unaffected.
      stream.abort();
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\",\"payload\":\"still ws\"}");
      assertEquals("still ws", ws.next().getString("payload"));
    }
  }

  @Test
  void postsFromTheClientRouteWhileItsWebSocketHoldsTheId() {
    try (TestPeer ws = TestPeer.open(vertx, port, "alice");
         XhrPeer xhr = XhrPeer.of(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      assertEquals(200, xhr.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1}").status());
      assertEquals("alice", bob.next().getString("src"));
    }
  }

  @Test
  void aNewLegacySessionWithTheSameTokenGetsOpen() {
    try (XhrPeer first = XhrPeer.of(vertx, port, "alice"); XhrPeer again = XhrPeer.of(vertx, port, "alice")) {
      XhrPeer.Stream old = first.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", old.firstMessage());
      // A reloaded page (or reconnect()) starts over at i=0: it is a new Peer and must hear OPEN.
      assertEquals("{\"type\":\"OPEN\"}", again.stream("i=0").firstMessage());
      assertEquals("", old.awaitEnd());
    }
  }
}
