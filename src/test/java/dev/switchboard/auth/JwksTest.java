package dev.switchboard.auth;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.support.Await;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.KeyPair;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --jwt_jwks_url}: the key set is loaded at start, and an unknown {@code kid} fetches it again
 * at most every {@link JwksKeys#MIN_REFRESH_INTERVAL_MS}; time moves by hand.
 */
@ExtendWith(VertxExtension.class)
class JwksTest {
  private final KeyPair first = Tokens.rsaKeys();
  private final KeyPair second = Tokens.ecKeys();
  private final ManualClock clock = new ManualClock();
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile JsonObject keySet;
  private volatile int status = 200;
  private Vertx vertx;
  private HttpServer server;
  private TokenVerifier verifier;

  @BeforeEach
  void startIssuer(Vertx vertx) {
    this.vertx = vertx;
    keySet = set(Tokens.jwk(first, "k1"));
    server = Await.result(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(keySet.encode());
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (verifier != null) {
      Await.result(verifier.close());
    }
  }

  private static JsonObject set(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(java.util.List.of((Object[]) keys)));
  }

  private TokenVerifier start() {
    SwitchboardOptions options = new SwitchboardOptions().setAuth("jwt")
        .setJwtJwksUrl("http://127.0.0.1:" + server.actualPort() + "/jwks.json").validate();
    return Await.result(JwtVerifier.create(vertx, options, clock));
  }

  private String userOf(String token) {
    return Await.result(verifier.verify(new Credentials(token, Credentials.Source.QUERY))).userId();
  }

  private CloseReason refusal(String token) {
    return assertThrows(AuthFailure.class, () -> userOf(token)).closeReason();
  }

  @Test
  void aRotatedKeyIsFetchedOnItsFirstTokenAtMostEveryFewSeconds() {
    verifier = start();
    assertEquals(1, fetches.get());
    assertEquals("alice", userOf(Tokens.rs256(first, "k1", claims("alice"))));
    assertEquals(1, fetches.get(), "a known kid needs no fetch");

    keySet = set(Tokens.jwk(first, "k1"), Tokens.jwk(second, "k2"));
    String rotated = Tokens.es256(second, "k2", claims("bob"));
    // Just fetched: a new kid does not fetch again yet.
    assertEquals(CloseReason.INVALID_TOKEN, refusal(rotated));
    assertEquals(1, fetches.get());

    clock.advance(JwksKeys.MIN_REFRESH_INTERVAL_MS);
    assertEquals("bob", userOf(rotated));
    assertEquals(2, fetches.get());

    // Made-up kids cost one fetch per interval, however many arrive.
    String madeUp = Tokens.rs256(first, "k3", claims("mallory"));
    for (int i = 0; i < 5; i++) {
      assertEquals(CloseReason.INVALID_TOKEN, refusal(madeUp));
    }
    assertEquals(2, fetches.get());
    clock.advance(JwksKeys.MIN_REFRESH_INTERVAL_MS);
    for (int i = 0; i < 5; i++) {
      assertEquals(CloseReason.INVALID_TOKEN, refusal(madeUp));
    }
    assertEquals(3, fetches.get());
  }

  @Test
  void aKeySetThatCannotBeFetchedForAnUnknownKidIsUnavailable() {
    verifier = start();
    status = 503;
    clock.advance(JwksKeys.MIN_REFRESH_INTERVAL_MS);
    assertEquals(CloseReason.AUTH_UNAVAILABLE, refusal(Tokens.es256(second, "k2", claims("bob"))));
    // The keys it had still work.
    assertEquals("alice", userOf(Tokens.rs256(first, "k1", claims("alice"))));
  }

  @Test
  void unsignedTokensAreRefusedWithAKeySet() {
    verifier = start();
    assertEquals(CloseReason.INVALID_TOKEN, refusal(Tokens.unsigned(claims("alice"))));
  }

  @Test
  void startFailsNamingTheOptionWhenTheSetCannotBeLoaded() {
    status = 500;
    IllegalArgumentException down = assertThrows(IllegalArgumentException.class, this::start);
    assertTrue(down.getMessage().startsWith("Invalid jwt_jwks_url"), down.getMessage());
  }

  @Test
  void startFailsWhenTheSetHasNoSigningKey() {
    // vertx-auth-jwt without keys would accept unsigned tokens: such a set must never be used.
    keySet = set(new JsonObject().put("kty", "oct").put("k", "c2VjcmV0"), Tokens.jwk(first, "k1").put("use", "enc"));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, this::start);
    assertTrue(empty.getMessage().contains("no RSA or EC signing keys"), empty.getMessage());
  }
}
