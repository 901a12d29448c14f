package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.StuckClient;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An XHR client that stops reading holds at most {@code send_buffer} bytes of the broker's memory, in
 * every dialect: past it the peer is ended as too slow, like a WebSocket, and the sender carries on.
 */
@ExtendWith(VertxExtension.class)
class XhrSlowConsumerTest {
  private static final int SEND_BUFFER = 64 * 1024;
  private static final String CANDIDATE = "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"" + "x".repeat(4000) + "\"}";

  private Vertx vertx;
  private Switchboard broker;
  private CompletableFuture<XhrPeerLink> bobLink;
  private CompletableFuture<CloseReason> bobEnded;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  private void start(int sendBuffer) {
    broker = Brokers.start(vertx, Brokers.options().setSendBuffer(sendBuffer));
    bobLink = new CompletableFuture<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        if (peer.id().equals("bob")) {
          bobLink.complete((XhrPeerLink) peer);
        }
      }
    });
    bobEnded = Brokers.disconnectOf(broker, "bob");
  }

  @Test
  void aLegacyStreamThatIsNotReadIsEndedAsTooSlow() throws Exception {
    start(SEND_BUFFER);
    // PeerJS 0.3.x's stream (no ack): lines are paced, so a flood waits in the broker, not the socket.
    try (StuckClient bob = StuckClient.post(broker.actualPort(), "/peerjs/bob/token-bob/id?i=0")) {
      floodUntilBobEnds();
    }
  }

  @Test
  void aSequencedStreamThatIsNotReadIsEndedAsTooSlow() throws Exception {
    start(SEND_BUFFER);
    try (StuckClient bob = StuckClient.post(broker.actualPort(), "/peerjs/bob/token-bob/id?i=0&ack=0")) {
      floodUntilBobEnds();
    }
  }

  /**
   * Each new stream of the add-on is sent every message not yet acknowledged; a client that opens
   * streams and reads none would otherwise have a copy of its outbox held for each.
   */
  @Test
  void copiesOnReplacedStreamsCount() throws Exception {
    // Copies larger than a socket's send buffer can take (net.ipv4.tcp_wmem's 4 MiB at most): each one
    // leaves at least half of itself waiting in the broker.
    start(16 * 1024 * 1024);
    int port = broker.actualPort();
    List<StuckClient> streams = new ArrayList<>();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      streams.add(StuckClient.post(port, "/peerjs/bob/token-bob/id?i=0&ack=0"));
      XhrPeerLink link = bobLink.get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 2000; i++) { // 8 MB: half the bound, unacknowledged
        alice.send(CANDIDATE);
      }
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\"}");
      alice.expectType("CANDIDATE");
      // Twenty streams, each sent a copy; the bound is checked when a message comes, so messages follow
      // (100 more are 400 KB: alone they keep bob within the bound).
      for (int i = 1; i <= 100 && !bobEnded.isDone(); i++) {
        if (i <= 20) {
          streams.add(StuckClient.post(port, "/peerjs/bob/token-bob/id?i=" + i + "&ack=0"));
        }
        alice.send(CANDIDATE);
        alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\"}");
        alice.expectType("CANDIDATE");
      }
      assertEquals(CloseReason.SLOW_CONSUMER, bobEnded.get(10, TimeUnit.SECONDS));
    } finally {
      for (StuckClient stream : streams) {
        stream.close();
      }
    }
  }

  @Test
  void aLongPollThatIsNotReadIsEndedAsTooSlow() throws Exception {
    start(SEND_BUFFER);
    try (StuckClient bob = StuckClient.post(broker.actualPort(), "/peerjs/bob/token-bob/id?i=0&ack=0&poll=1")) {
      floodUntilBobEnds();
    }
  }

  @Test
  void theStuckConnectionIsClosedAndWhatItHeldFreed() throws Exception {
    // A bound larger than loopback socket buffers take: the stream's last lines stay in the broker.
    start(16 * 1024 * 1024);
    try (StuckClient bob = StuckClient.post(broker.actualPort(), "/peerjs/bob/token-bob/id?i=0")) {
      XhrPeerLink link = bobLink.get(10, TimeUnit.SECONDS);
      try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
        for (int i = 0; i < 6000 && !bobEnded.isDone(); i++) {
          alice.send(CANDIDATE);
        }
        assertEquals(CloseReason.SLOW_CONSUMER, bobEnded.get(10, TimeUnit.SECONDS));
      }
      assertTrue(link.backlogBytes() > 0, "the last lines were all taken: nothing is left to free");
      // The end of the stream cannot be written to a client that does not read; the connection is
      // closed after the closing timeout, which drops what it held.
      Await.until("the stuck stream's bytes are released", () -> link.backlogBytes() == 0,
          (int) (XhrStream.CLOSING_TIMEOUT_MS / 1000) + 5);
    }
  }

  // Floods bob from a WebSocket peer until bob is ended; checks how and what he held at most.
  private XhrPeerLink floodUntilBobEnds() throws Exception {
    XhrPeerLink link = bobLink.get(10, TimeUnit.SECONDS);
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      long most = 0;
      // 2000 x 4 KB is 8 MB, far past the 64 KiB bound and what loopback socket buffers take.
      for (int i = 0; i < 2000 && !bobEnded.isDone(); i++) {
        alice.send(CANDIDATE);
        most = Math.max(most, link.backlogBytes());
      }
      assertEquals(CloseReason.SLOW_CONSUMER, bobEnded.get(10, TimeUnit.SECONDS));
      // A message is taken while the bytes waiting stay within the bound; on a sequenced stream it is held
      // twice (kept until acknowledged, and on its way), so at most one more copy goes over.
      assertTrue(most <= SEND_BUFFER + CANDIDATE.length() + 32, "bob held " + most + " bytes, past send_buffer");
      assertEquals(1, broker.peerCount(), "bob is still registered");
      alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\"}");
      // Messages that reached bob's id after he was ended were queued; the queue may have overflowed.
      JsonObject next;
      do {
        next = alice.next();
      } while (next.getString("type").equals("EXPIRE"));
      assertEquals("CANDIDATE", next.getString("type"));
    }
    return link;
  }
}
