package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * XHR peers under the same edge policy as WebSockets: the client address behind a trusted proxy, and
 * {@code ip_limit} counting an XHR peer once (not per stream, poll or POST) until it is gone.
 */
@ExtendWith(VertxExtension.class)
class XhrForwardedAndLimitTest {
  private final Map<String, String> connected = new ConcurrentHashMap<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<String> disconnected = new CopyOnWriteArrayList<>();

  private Switchboard start(Vertx vertx, int ipLimit, List<String> trusted) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setProxied(true).setIpLimit(ipLimit)
        .setTrustedProxies(trusted).setXhrGracePeriod(200));
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        connected.put(peer.id(), peer.remoteAddress());
      }

      @Override
      public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
        refused.add(transport + " " + remoteAddress + " " + reason);
      }

      @Override
      public void peerDisconnected(PeerLink peer, CloseReason reason) {
        disconnected.add(peer.id());
      }
    });
    return broker;
  }

  private static XhrPeer from(Vertx vertx, int port, String id, String address) {
    return XhrPeer.of(vertx, port, id).header("X-Forwarded-For", address);
  }

  @Test
  void anXhrPeerCountsOnceAgainstIpLimitAndGivesItsSlotBackWhenGone(Vertx vertx) {
    int port = start(vertx, 1, List.of("127.0.0.0/8")).actualPort();
    try (XhrPeer alice = from(vertx, port, "alice", "203.0.113.5");
         XhrPeer mallory = from(vertx, port, "mallory", "203.0.113.5");
         XhrPeer bob = from(vertx, port, "bob", "198.51.100.6")) {
      XhrPeer.Stream first = alice.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", first.firstMessage());
      assertEquals("203.0.113.5", connected.get("alice"), "the forwarded address, not the proxy's socket");
      // Rotation and message POSTs belong to the same peer: no second slot.
      XhrPeer.Stream second = alice.stream("i=1");
      assertEquals("0".repeat(2048), second.nextLine());
      first.awaitEnd();
      assertEquals(200, alice.post("heartbeat", "{\"type\":\"HEARTBEAT\"}").status());
      assertEquals(200, alice.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1}").status());

      // Another peer from the address is refused, over XHR (both dialects) and over a WebSocket.
      XhrPeer.Stream legacy = mallory.stream("i=0");
      assertEquals("0".repeat(2048), legacy.nextLine());
      assertEquals("{\"type\":\"HTTP-ERROR\"}", legacy.nextLine());
      XhrPeer.Stream sequenced = mallory.stream("i=0&ack=0");
      sequenced.nextLine();
      assertEquals("[0,{\"type\":\"ERROR\",\"payload\":{\"msg\":\"203.0.113.5 has reached its concurrent user limit\"}}]",
          sequenced.nextLine());
      try (TestPeer socket = TestPeer.connect(vertx, new WebSocketClientOptions(), new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(port).setURI("/peerjs?key=peerjs&id=eve&token=t")
          .addHeader("X-Forwarded-For", "203.0.113.5"))) {
        socket.expectError("203.0.113.5 has reached its concurrent user limit");
      }
      assertEquals(List.of("xhr 203.0.113.5 IP_LIMIT", "xhr 203.0.113.5 IP_LIMIT", "websocket 203.0.113.5 IP_LIMIT"),
          refused);
      // Another address is not affected; bob gets alice's OFFER that was queued for him.
      XhrPeer.Stream bobStream = bob.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", bobStream.firstMessage());
      assertEquals("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1,\"src\":\"alice\"}", bobStream.nextLine());

      // alice's stream goes and no other comes within the grace period: she is removed, the slot is free.
      second.abort();
      Await.until("alice removed", () -> disconnected.contains("alice"), 10);
      assertEquals("[1,{\"type\":\"OPEN\"}]", mallory.stream("i=0&ack=0").firstMessage());
    }
  }

  @Test
  void aPeerThatLeavesOrIsRefusedGivesItsSlotBack(Vertx vertx) {
    int port = start(vertx, 1, List.of("127.0.0.0/8")).actualPort();
    try (XhrPeer alice = from(vertx, port, "alice", "203.0.113.5");
         XhrPeer again = from(vertx, port, "alice2", "203.0.113.5");
         XhrPeer thief = XhrPeer.of(vertx, port, "peerjs", "alice2", "other").header("X-Forwarded-For", "198.51.100.6");
         XhrPeer carol = from(vertx, port, "carol", "198.51.100.6")) {
      XhrPeer.Stream stream = alice.stream("i=0&ack=0");
      assertEquals("[1,{\"type\":\"OPEN\"}]", stream.firstMessage());
      assertEquals(200, alice.post("leave", "{\"type\":\"LEAVE\"}").status());
      stream.awaitEnd();
      assertEquals("[1,{\"type\":\"OPEN\"}]", again.openWhenFree("i=0&ack=0"));

      // Refused by the directory (the id is held under another token): the slot taken for it comes back.
      XhrPeer.Stream refusedStream = thief.stream("i=0&ack=0");
      assertEquals("[0,{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}]", refusedStream.firstMessage());
      refusedStream.awaitEnd();
      assertEquals("[1,{\"type\":\"OPEN\"}]", carol.openWhenFree("i=0&ack=0"));
    }
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerAreIgnored(Vertx vertx) {
    int port = start(vertx, 5000, List.of("10.0.0.0/8")).actualPort();
    try (XhrPeer alice = from(vertx, port, "alice", "203.0.113.5");
         XhrPeer bad = XhrPeer.of(vertx, port, "wrong", "bad", "t").header("X-Forwarded-For", "203.0.113.5")) {
      alice.stream("i=0").firstMessage();
      // The socket's address, without a port (it used to be logged as 127.0.0.1:54321).
      assertEquals("127.0.0.1", connected.get("alice"));
      bad.stream("i=0").awaitEnd();
      assertEquals(List.of("xhr 127.0.0.1 INVALID_KEY"), refused);
      assertFalse(disconnected.contains("alice"));
    }
  }
}
