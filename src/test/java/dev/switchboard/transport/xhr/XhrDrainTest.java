package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful drain ends XHR peers as it ends WebSocket peers: the restart ERROR on their stream or poll,
 * new XHR sessions refused with 503, and the drain waits until their last line is written.
 */
@ExtendWith(VertxExtension.class)
class XhrDrainTest {
  private static final String RESTART = "{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Server is restarting, please reconnect\"}}";

  @Test
  void drainTellsXhrPeersToReconnectRefusesNewSessionsAndWaitsForThem(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setDrainTimeout(3_000).setSendBuffer(32 << 20));
    AtomicInteger relayedToStuck = new AtomicInteger();
    List<CloseReason> refused = new CopyOnWriteArrayList<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void messageRelayed(PeerLink from, MessageType type, String dst) {
        if (dst.equals("stuck")) {
          relayedToStuck.incrementAndGet();
        }
      }

      @Override
      public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
        refused.add(reason);
      }
    });
    int port = broker.actualPort();

    // An XHR client that stops reading: its stream cannot take the restart notice until drain_timeout.
    // A plain socket that is never read: a paused Vert.x 5.1 NetSocket closes once the stream fills it.
    Socket stuck = new Socket();
    stuck.setReceiveBufferSize(4096);
    stuck.connect(new InetSocketAddress("127.0.0.1", port));
    stuck.getOutputStream().write(("POST /peerjs/stuck/t/id?i=0&ack=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    try (TestPeer bob = TestPeer.open(vertx, port, "bob");
         XhrPeer alice = XhrPeer.of(vertx, port, "alice");
         XhrPeer carol = XhrPeer.of(vertx, port, "carol");
         XhrPeer dave = XhrPeer.of(vertx, port, "dave");
         XhrPeer erin = XhrPeer.of(vertx, port, "erin");
         XhrPeer late = XhrPeer.of(vertx, port, "late")) {
      Await.until("stuck is a peer", () -> broker.peerCount() == 2, 10);
      // More than the loopback socket buffers take (a few MB), so writes to stuck stay queued.
      String offer = "{\"type\":\"OFFER\",\"dst\":\"stuck\",\"payload\":\"" + "x".repeat(60_000) + "\"}";
      for (int i = 0; i < 170; i++) {
        bob.send(offer);
      }
      Await.until("offers relayed to stuck", () -> relayedToStuck.get() == 170, 10);

      XhrPeer.Stream legacy = alice.stream("i=0");
      legacy.firstMessage();
      XhrPeer.Stream sequenced = carol.stream("i=0&ack=0");
      sequenced.firstMessage();
      XhrPeer.Stream open = dave.stream("i=0&ack=0&poll=1");
      assertEquals("[1,{\"type\":\"OPEN\"}]", open.nextLine());
      open.awaitEnd();
      XhrPeer.Stream waiting = dave.stream("i=1&ack=1&poll=1");
      // erin's poll was answered and she has not asked again when the drain begins.
      XhrPeer.Stream answered = erin.stream("i=0&ack=0&poll=1");
      answered.nextLine();
      answered.awaitEnd();
      Await.until("every peer connected", () -> broker.peerCount() == 6, 10);

      long started = System.nanoTime();
      Future<Void> drained = broker.drain();
      assertEquals(RESTART, legacy.nextLine());
      legacy.awaitEnd();
      assertEquals("[0," + RESTART + "]", sequenced.nextLine());
      sequenced.awaitEnd();
      assertEquals("[0," + RESTART + "]", waiting.nextLine());
      assertEquals("[0," + RESTART + "]", erin.stream("i=1&ack=1&poll=1").nextLine());
      bob.expectError("Server is restarting, please reconnect");

      // New sessions are refused, in both dialects, as WebSocket upgrades are.
      assertEquals(503, late.stream("i=0").status);
      assertEquals(503, late.stream("i=0&ack=0").status);
      assertEquals(List.of(CloseReason.NOT_ACCEPTING, CloseReason.NOT_ACCEPTING), refused);

      assertFalse(drained.isComplete(), "the drain waits for the XHR peer that does not read");
      Await.result(drained, 10);
      assertTrue(System.nanoTime() - started >= 2_500_000_000L, "waited for the stuck stream until drain_timeout");
    } finally {
      stuck.close();
    }
  }
}
