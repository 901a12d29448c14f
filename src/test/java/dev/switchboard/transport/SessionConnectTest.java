package dev.switchboard.transport;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.SessionService;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --auth session} over the WebSocket: accepted, refused, and a session service that is down. */
@ExtendWith(VertxExtension.class)
class SessionConnectTest {
  private Vertx vertx;
  private SessionService service;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    service = SessionService.start(vertx).user("s-alice", "alice").user("s-bob", "bob");
    port = Brokers.start(vertx, Brokers.options().setAuth("session").setSessionUrl(service.url())
        .setSessionTimeout(1_000)).actualPort();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void aSessionTokenOpensItsUsersIdAndIsRemembered() {
    try (TestPeer alice = TestPeer.connect(vertx, port, "alice", "s-alice")) {
      alice.expectType("OPEN");
    }
    try (TestPeer again = TestPeer.connect(vertx, port, "alice", "s-alice")) {
      again.expectType("OPEN");
    }
    assertEquals(1, service.requests());
  }

  @Test
  void anUnknownSessionIsAnInvalidToken() {
    try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "s-expired")) {
      peer.expectError(ErrorText.INVALID_TOKEN);
      assertEquals(CloseCode.POLICY, peer.awaitClose().code());
    }
  }

  @Test
  void aValidSessionOfAnotherUserCannotTakeTheId() {
    try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "s-bob")) {
      peer.expectError(ErrorText.ID_NOT_ALLOWED);
      assertEquals(CloseCode.POLICY, peer.awaitClose().code());
    }
  }

  @Test
  void aFailingSessionServiceIsTryAgainLater() {
    service.fail(502);
    try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "s-alice")) {
      peer.expectError(ErrorText.AUTH_UNAVAILABLE);
      assertEquals(CloseCode.TRY_AGAIN, peer.awaitClose().code());
    }
  }

  @Test
  void aHangingSessionServiceNeverHangsTheConnection() {
    service.hang();
    // TestPeer waits 5 s at most; the broker answers at its 1 s session_timeout.
    try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "s-alice")) {
      peer.expectError(ErrorText.AUTH_UNAVAILABLE);
      assertEquals(CloseCode.TRY_AGAIN, peer.awaitClose().code());
    }
    service.answer();
    try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "s-alice")) {
      peer.expectType("OPEN");
    }
  }

  @Test
  void framesSentBeforeVerificationEndsAreNotLost() {
    try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "s-bob")) {
      bob.expectType("OPEN");
      service.hold();
      try (TestPeer alice = TestPeer.connect(vertx, port, "alice", "s-alice")) {
        // Sent while the socket is paused for the look-up: read once alice is admitted.
        alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":1}");
        long deadline = System.currentTimeMillis() + 5_000;
        while (service.held() < 1 && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
        service.release();
        alice.expectType("OPEN");
        assertEquals("alice", bob.expectType("OFFER").getString("src"));
      }
    }
  }
}
