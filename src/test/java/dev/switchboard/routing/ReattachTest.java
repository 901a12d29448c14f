package dev.switchboard.routing;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reattaching with the same id and token: PeerServer 1.0.2 swaps the socket in without OPEN, so PeerJS
 * never fires open (PeerJS #1289), and leaves the old socket open. Here the new socket gets OPEN and
 * the old one is told and closed.
 */
@ExtendWith(VertxExtension.class)
class ReattachTest {
  private Vertx vertx;
  private int port;
  private dev.switchboard.Switchboard broker;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options());
    port = broker.actualPort();
  }

  @Test
  void theNewSocketGetsOpenAndTheOldOneIsClosed() {
    try (TestPeer first = TestPeer.connect(vertx, port, "alice", "same");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      first.expectType("OPEN");
      try (TestPeer second = TestPeer.connect(vertx, port, "alice", "same")) {
        second.expectType("OPEN");
        first.expectError(ErrorText.SUPERSEDED);
        assertEquals(CloseCode.SUPERSEDED, first.awaitClose().code());
        bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\"}");
        assertEquals("bob", second.expectType("OFFER").getString("src"));
      }
    }
  }

  @Test
  void messagesQueuedWhileAwayGoToTheNewSocketAfterOpen() {
    try (TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      TestPeer first = TestPeer.connect(vertx, port, "alice", "same");
      first.expectType("OPEN");
      first.close();
      // Until the server has seen the close, messages still go to the closing socket and are lost.
      dev.switchboard.support.Await.until("alice's close reached the broker", () -> broker.peerCount() == 1, 5);
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":1}");
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\",\"payload\":2}");
      try (TestPeer second = TestPeer.connect(vertx, port, "alice", "same")) {
        second.expectType("OPEN");
        assertEquals(1, (int) second.expectType("OFFER").getInteger("payload"));
        assertEquals(2, (int) second.expectType("CANDIDATE").getInteger("payload"));
      }
    }
  }
}
