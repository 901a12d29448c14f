package dev.switchboard.transport.xhr;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Message POSTs are routed like WebSocket frames; WebSocket and XHR peers reach each other both ways. */
@ExtendWith(VertxExtension.class)
class XhrRoutingTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options()).actualPort();
  }

  @Test
  void xhrToWebSocketAsPeerServerWritesIt() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.stream("i=0").firstMessage();
      for (String type : new String[] {"OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE"}) {
        String body = "{\"type\":\"" + type + "\",\"payload\":{\"sdp\":\"v=0\\r\\n\"},\"dst\":\"bob\"}";
        assertEquals(200, alice.post(type.toLowerCase(), body).status());
        assertEquals("{\"type\":\"" + type + "\",\"payload\":{\"sdp\":\"v=0\\r\\n\"},\"dst\":\"bob\",\"src\":\"alice\"}",
            bob.nextText());
      }
    }
  }

  @Test
  void webSocketToXhrAndXhrToXhr() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice");
         XhrPeer carol = XhrPeer.of(vertx, port, "carol");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream aliceStream = alice.stream("i=0");
      aliceStream.firstMessage();
      XhrPeer.Stream carolStream = carol.stream("i=0&ack=0");
      carolStream.firstMessage();
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":1}");
      assertEquals("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":1,\"src\":\"bob\"}", aliceStream.nextLine());
      assertEquals(200, alice.post("answer", "{\"type\":\"ANSWER\",\"dst\":\"carol\",\"payload\":2}").status());
      assertEquals("[2,{\"type\":\"ANSWER\",\"dst\":\"carol\",\"payload\":2,\"src\":\"alice\"}]", carolStream.nextLine());
    }
  }

  @Test
  void messagesForAnXhrPeerNotYetConnectedAreQueuedAndFollowOpen() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":1}");
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\",\"payload\":2}");
      bob.send("{\"type\":\"HEARTBEAT\"}");
      bob.expectNothing(java.time.Duration.ofMillis(50));
      XhrPeer.Stream stream = alice.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
      assertEquals(1, (int) new io.vertx.core.json.JsonObject(stream.nextLine()).getInteger("payload"));
      assertEquals(2, (int) new io.vertx.core.json.JsonObject(stream.nextLine()).getInteger("payload"));
    }
  }

  @Test
  void leaveWithoutDstEndsTheXhrPeer() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice")) {
      XhrPeer.Stream stream = alice.stream("i=0&ack=0");
      stream.firstMessage();
      assertEquals(200, alice.post("leave", "{\"type\":\"LEAVE\"}").status());
      stream.awaitEnd();
      // The id is free again: a new session gets OPEN.
      assertEquals("[1,{\"type\":\"OPEN\"}]", XhrPeer.of(vertx, port, "peerjs", "alice", "new").stream("i=0&ack=0").firstMessage());
    }
  }
}
