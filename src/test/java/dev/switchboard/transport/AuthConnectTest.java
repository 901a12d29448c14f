package dev.switchboard.transport;

import dev.switchboard.auth.TokenSources;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static dev.switchboard.support.Tokens.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code --auth jwt} over the WebSocket: where the token may come from, the id policies, every refusal
 * with its ERROR text and close code, and what happens to duplicates.
 */
@ExtendWith(VertxExtension.class)
class AuthConnectTest {
  private Vertx vertx;
  private int port;

  private int start(Vertx vertx, SwitchboardOptions options) {
    this.vertx = vertx;
    port = Brokers.start(vertx, options.setAuth("jwt").setJwtSecret(SECRET)).actualPort();
    return port;
  }

  private static String jwt(String user) {
    return Tokens.hs256(SECRET, claims(user));
  }

  private TestPeer connect(String id, String token) {
    return TestPeer.connect(vertx, port, id, token);
  }

  private void expectRefused(TestPeer peer, String error, short code) {
    peer.expectError(error);
    assertEquals(code, peer.awaitClose().code());
  }

  @Test
  void peerJsTokenOptionCarriesTheJwt(Vertx vertx) {
    start(vertx, Brokers.options());
    try (TestPeer alice = connect("alice", jwt("alice"))) {
      alice.expectType("OPEN");
    }
  }

  @Test
  void invalidTokensAreRefusedWithPolicyClose(Vertx vertx) {
    start(vertx, Brokers.options());
    String[] bad = {
        "random-peerjs-token",
        Tokens.hs256(SECRET, claims("alice").put("exp", now(-60))),
        Tokens.hs256("some-other-secret-some-other-secret-01", claims("alice")),
        Tokens.unsigned(claims("alice")),
    };
    for (String token : bad) {
      try (TestPeer peer = connect("alice", token)) {
        expectRefused(peer, ErrorText.INVALID_TOKEN, CloseCode.POLICY);
      }
    }
  }

  @Test
  void anotherUsersIdIsRefused(Vertx vertx) {
    start(vertx, Brokers.options());
    try (TestPeer mallory = connect("alice", jwt("mallory"))) {
      expectRefused(mallory, ErrorText.ID_NOT_ALLOWED, CloseCode.POLICY);
    }
    // exact: not even a device suffix.
    try (TestPeer phone = connect("alice-phone", jwt("alice"))) {
      expectRefused(phone, ErrorText.ID_NOT_ALLOWED, CloseCode.POLICY);
    }
  }

  @Test
  void devicePolicyAllowsSuffixedIdsOfTheSameUserOnly(Vertx vertx) {
    start(vertx, Brokers.options().setIdPolicy("device"));
    try (TestPeer plain = connect("alice", jwt("alice"));
         TestPeer phone = connect("alice-phone", jwt("alice"));
         TestPeer tv = connect("alice_tv", jwt("alice"))) {
      plain.expectType("OPEN");
      phone.expectType("OPEN");
      tv.expectType("OPEN");
    }
    for (String id : new String[] {"alicex", "alice-phone-2", "bob-phone", "malice"}) {
      try (TestPeer other = connect(id, jwt("alice"))) {
        expectRefused(other, ErrorText.ID_NOT_ALLOWED, CloseCode.POLICY);
      }
    }
  }

  @Test
  void aCookieIsCheckedBeforePeerJsRandomToken(Vertx vertx) {
    start(vertx, Brokers.options().setAuthCookie("session"));
    try (TestPeer alice = TestPeer.connectWith(vertx, port, new WebSocketConnectOptions()
        .setURI("/peerjs?" + TestPeer.query("alice", "peerjs-random-1"))
        .addHeader("Cookie", "theme=dark; session=" + jwt("alice")))) {
      alice.expectType("OPEN");
    }
    try (TestPeer stale = TestPeer.connectWith(vertx, port, new WebSocketConnectOptions()
        .setURI("/peerjs?" + TestPeer.query("alice", jwt("alice")))
        .addHeader("Cookie", "session=" + jwt("mallory")))) {
      expectRefused(stale, ErrorText.ID_NOT_ALLOWED, CloseCode.POLICY);
    }
  }

  @Test
  void aSubprotocolTokenIsUsedAndOnlyTheMarkerIsEchoed(Vertx vertx) {
    start(vertx, Brokers.options());
    String token = jwt("alice");
    try (TestPeer alice = TestPeer.connectWith(vertx, port, new WebSocketConnectOptions()
        .setURI("/peerjs?" + TestPeer.query("alice", "peerjs-random-1"))
        .addSubProtocol(TokenSources.SUBPROTOCOL).addSubProtocol(token))) {
      alice.expectType("OPEN");
      assertEquals(TokenSources.SUBPROTOCOL, alice.subProtocol());
    }
    try (TestPeer mallory = TestPeer.connectWith(vertx, port, new WebSocketConnectOptions()
        .setURI("/peerjs?" + TestPeer.query("alice", jwt("alice")))
        .addSubProtocol(TokenSources.SUBPROTOCOL).addSubProtocol(jwt("mallory")))) {
      expectRefused(mallory, ErrorText.ID_NOT_ALLOWED, CloseCode.POLICY);
    }
  }

  @Test
  void withoutAuthNoSubprotocolIsNeeded(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options()).actualPort();
    try (TestPeer plain = TestPeer.connect(vertx, port, "alice", "t")) {
      plain.expectType("OPEN");
      assertNull(plain.subProtocol());
    }
  }

  @Test
  void theSameUsersNewerConnectionTakesOverAndTheOldOneIsTold(Vertx vertx) {
    start(vertx, Brokers.options());
    try (TestPeer first = connect("alice", jwt("alice"));
         TestPeer bob = connect("bob", jwt("bob"))) {
      first.expectType("OPEN");
      bob.expectType("OPEN");
      // A page refresh: a new token for the same user while the old socket is still open.
      try (TestPeer refreshed = connect("alice", Tokens.hs256(SECRET, claims("alice").put("jti", "2")))) {
        refreshed.expectType("OPEN");
        first.expectError(ErrorText.TAKEN_OVER);
        assertEquals(CloseCode.SUPERSEDED, first.awaitClose().code());
        bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\"}");
        assertEquals("bob", refreshed.expectType("OFFER").getString("src"));
      }
    }
  }

  @Test
  void rejectKeepsTheHolderAgainstTheSameUsersNewToken(Vertx vertx) {
    start(vertx, Brokers.options().setOnDuplicate("reject"));
    String token = jwt("alice");
    try (TestPeer first = connect("alice", token)) {
      first.expectType("OPEN");
      try (TestPeer second = connect("alice", Tokens.hs256(SECRET, claims("alice").put("jti", "2")))) {
        assertEquals("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}", second.nextText());
        assertEquals(CloseCode.POLICY, second.awaitClose().code());
      }
      // PeerJS reconnecting with its same token still replaces its own dead socket.
      try (TestPeer again = connect("alice", token)) {
        again.expectType("OPEN");
        first.expectError(ErrorText.TAKEN_OVER);
      }
    }
  }

  @Test
  void anotherUserNeverTakesOverEvenWithDevicePolicy(Vertx vertx) {
    // "alice-bob" is both alice's device "bob" and (with this policy) the plain id of user alice-bob.
    start(vertx, Brokers.options().setIdPolicy("device"));
    try (TestPeer holder = connect("alice-bob", jwt("alice-bob"))) {
      holder.expectType("OPEN");
      try (TestPeer squatter = connect("alice-bob", jwt("alice"))) {
        assertEquals("ID-TAKEN", squatter.next().getString("type"));
        assertEquals(CloseCode.POLICY, squatter.awaitClose().code());
      }
      holder.send("{\"type\":\"OFFER\",\"dst\":\"alice-bob\"}");
      holder.expectType("OFFER");
    }
  }
}
