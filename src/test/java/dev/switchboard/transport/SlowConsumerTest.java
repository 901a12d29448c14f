package dev.switchboard.transport;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ServerSettings;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading must not make the broker buffer without bound: once send_buffer bytes
 * wait for it, it is closed and the sender carries on.
 */
@ExtendWith(VertxExtension.class)
class SlowConsumerTest {

  @Test
  void aReceiverThatDoesNotReadIsClosed(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setSendBuffer(64 * 1024));
    CompletableFuture<CloseReason> bobEnded = Brokers.disconnectOf(broker, "bob");
    int port = broker.actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      bob.stopReading();
      String candidate = "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"" + "x".repeat(60_000) + "\"}";
      // Loopback socket buffers take a few MB first; the loop is bounded and ends once bob is closed.
      for (int i = 0; i < 2000 && !bobEnded.isDone(); i++) {
        alice.send(candidate);
      }
      assertEquals(CloseReason.SLOW_CONSUMER, bobEnded.get(5, TimeUnit.SECONDS));
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\"}");
      // What reached bob's id after he was closed was queued for him; that queue may have overflowed.
      JsonObject next;
      do {
        next = alice.next();
      } while (next.getString("type").equals("EXPIRE"));
      assertEquals("CANDIDATE", next.getString("type"));
    }
  }

  @Test
  void aClientThatPingsButDoesNotReadIsClosed(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setSendBuffer(64 * 1024));
    CompletableFuture<CloseReason> bobEnded = Brokers.disconnectOf(broker, "bob");
    try (TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      bob.stopReading();
      Buffer payload = Buffer.buffer("p".repeat(125));
      // 200 000 pongs are 25 MB, well past loopback socket buffers; the loop ends once bob is closed.
      for (int i = 0; i < 200_000 && !bobEnded.isDone(); i++) {
        bob.socket().writePing(payload);
      }
      assertEquals(CloseReason.SLOW_CONSUMER, bobEnded.get(10, TimeUnit.SECONDS));
    }
  }

  /**
   * Frames relayed from another event loop wait in the receiver's loop queue until that loop runs them:
   * they count against the receiver's send_buffer too, or a busy or stalled loop would buffer without
   * bound. Here bob's loop is held up while alice, on the other loop, floods him.
   */
  @Test
  void framesHandedToAnotherLoopCountAgainstTheBound(Vertx vertx) throws Exception {
    // Each peer stays on the loop that accepted it (not packed onto one loop), as when the first loop is busy.
    Switchboard broker = Brokers.start(vertx, Brokers.options().setSendBuffer(64 * 1024)
        .set(ServerSettings.LOOP_PLACEMENT, "accepted"));
    Map<String, WebSocketPeerLink> links = new ConcurrentHashMap<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        links.put(peer.id(), (WebSocketPeerLink) peer);
      }
    });
    CompletableFuture<CloseReason> bobEnded = Brokers.disconnectOf(broker, "bob");
    Vertx clients = Vertx.vertx(); // the test's clients must not share the loop held up below
    CountDownLatch resume = new CountDownLatch(1);
    try (TestPeer bob = TestPeer.open(clients, broker.actualPort(), "bob");
         TestPeer alice = TestPeer.open(clients, broker.actualPort(), "alice")) {
      WebSocketPeerLink bobLink = links.get("bob");
      assertNotSame(bobLink.channel().eventLoop(), links.get("alice").channel().eventLoop(),
          "two event loops take connections in turn");
      bobLink.channel().eventLoop().execute(() -> {
        try {
          resume.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      String candidate = "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"" + "x".repeat(4000) + "\"}";
      for (int i = 0; i < 2000 && !bobEnded.isDone(); i++) {
        alice.send(candidate);
      }
      assertEquals(CloseReason.SLOW_CONSUMER, bobEnded.get(10, TimeUnit.SECONDS));
      assertTrue(bobLink.handedOver() <= 64 * 1024, "handed over: " + bobLink.handedOver());
    } finally {
      resume.countDown();
      clients.close();
    }
  }
}
