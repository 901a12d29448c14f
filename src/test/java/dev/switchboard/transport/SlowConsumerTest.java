package dev.switchboard.transport;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
      alice.expectType("CANDIDATE");
    }
  }
}
