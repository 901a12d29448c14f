package dev.switchboard.transport.xhr;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With --auth the XHR endpoints check the token exactly as the WebSocket does (path token, or bearer). */
@ExtendWith(VertxExtension.class)
class XhrAuthTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(SECRET)).actualPort();
  }

  private static String tokenOf(String user) {
    return Tokens.hs256(SECRET, claims(user));
  }

  @Test
  void theUsersTokenInThePathOpensItsIdAndRelaysToWebSocketPeers() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "peerjs", "alice", tokenOf("alice"));
         TestPeer bob = TestPeer.connect(vertx, port, "bob", tokenOf("bob"))) {
      bob.expectType("OPEN");
      XhrPeer.Stream stream = alice.stream("i=0&ack=0");
      assertEquals("[1,{\"type\":\"OPEN\"}]", stream.firstMessage());
      assertEquals(200, alice.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\"}").status());
      assertEquals("alice", bob.expectType("OFFER").getString("src"));
    }
  }

  @Test
  void aBearerHeaderIsTakenBeforeThePathToken() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "peerjs", "alice", "peerjs-random-token")
        .header("Authorization", "Bearer " + tokenOf("alice"))) {
      assertEquals("[1,{\"type\":\"OPEN\"}]", alice.stream("i=0&ack=0").firstMessage());
    }
  }

  @Test
  void anotherUsersTokenOrABadTokenIsRefused() {
    try (XhrPeer mallory = XhrPeer.of(vertx, port, "peerjs", "alice", tokenOf("mallory"));
         XhrPeer forger = XhrPeer.of(vertx, port, "peerjs", "alice", "not-a-jwt");
         XhrPeer legacy = XhrPeer.of(vertx, port, "peerjs", "alice", "not-a-jwt")) {
      String refusal = mallory.stream("i=0&ack=0").firstMessage();
      assertTrue(refusal.contains("Invalid token provided for this id"), refusal);
      String forged = forger.stream("i=0&ack=0").firstMessage();
      assertTrue(forged.contains("Invalid token provided"), forged);
      // PeerJS 0.3.x understands only HTTP-ERROR.
      assertEquals("{\"type\":\"HTTP-ERROR\"}", legacy.stream("i=0").firstMessage());
    }
  }
}
