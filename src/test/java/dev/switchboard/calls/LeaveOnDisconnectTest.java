package dev.switchboard.calls;

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

/** --leave_on_disconnect: LEAVE on behalf of a peer gone for good, to the peers it signalled with. */
@ExtendWith(VertxExtension.class)
class LeaveOnDisconnectTest {
  private static final long LEAVE_MS = 300;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options().setLeaveOnDisconnect(LEAVE_MS)).actualPort();
  }

  private static void signal(TestPeer from, String type, String dst, TestPeer to) {
    from.send(new JsonObject().put("type", type).put("dst", dst).put("payload", new JsonObject().put("connectionId", "mc_1")));
    to.expectType(type);
  }

  @Test
  void thePeersAGonePeerSignalledWithGetLeave() {
    try (TestPeer bob = TestPeer.open(vertx, port, "bob");
         TestPeer carol = TestPeer.open(vertx, port, "carol");
         TestPeer dave = TestPeer.open(vertx, port, "dave")) {
      TestPeer alice = TestPeer.open(vertx, port, "alice");
      signal(alice, "OFFER", "bob", bob);
      signal(alice, "CANDIDATE", "carol", carol);
      signal(dave, "OFFER", "alice", alice);
      alice.close();
      assertEquals(new JsonObject().put("type", "LEAVE").put("src", "alice").put("dst", "bob"), bob.next());
      assertEquals(new JsonObject().put("type", "LEAVE").put("src", "alice").put("dst", "carol"), carol.next());
      // alice never sent to dave (she did not answer his offer): no connection to close there.
      dave.expectNothing(Duration.ofMillis(2 * LEAVE_MS));
    }
  }

  @Test
  void aPeerBackInTimeIsNotLeft() {
    try (TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      TestPeer alice = TestPeer.open(vertx, port, "alice");
      signal(alice, "OFFER", "bob", bob);
      alice.close();
      try (TestPeer back = TestPeer.openWhenFree(vertx, port, "alice", "token-alice")) {
        bob.expectNothing(Duration.ofMillis(3 * LEAVE_MS));
        back.close();
        assertEquals("LEAVE", bob.next().getString("type"));
      }
    }
  }

  @Test
  void offIsPeerServersBehaviour() {
    int plain = Brokers.start(vertx, Brokers.options()).actualPort();
    try (TestPeer bob = TestPeer.open(vertx, plain, "bob")) {
      TestPeer alice = TestPeer.open(vertx, plain, "alice");
      signal(alice, "OFFER", "bob", bob);
      alice.close();
      bob.expectNothing(Duration.ofMillis(3 * LEAVE_MS));
    }
  }
}
