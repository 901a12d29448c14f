package dev.switchboard.routing;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** alive_timeout over real sockets, with the broker's clock moved by hand. */
@ExtendWith(VertxExtension.class)
class LivenessTest {

  @Test
  void aSilentPeerIsClosedAndAnActiveOneKept(Vertx vertx) {
    ManualClock clock = new ManualClock();
    int port = Brokers.start(vertx, Brokers.options().setAliveTimeout(10_000), clock).actualPort();
    try (TestPeer silent = TestPeer.open(vertx, port, "silent");
         TestPeer active = TestPeer.open(vertx, port, "active")) {
      clock.advance(6_000);
      // Not a HEARTBEAT: any frame shows the peer is there. Wait for its effect (the echo) first.
      active.send("{\"type\":\"CANDIDATE\",\"dst\":\"active\"}");
      active.expectType("CANDIDATE");
      clock.advance(6_000);
      assertEquals(CloseCode.TIMED_OUT, silent.awaitClose().code());
      assertFalse(active.isClosed());
      active.send("{\"type\":\"CANDIDATE\",\"dst\":\"active\"}");
      active.expectType("CANDIDATE");
    }
  }
}
