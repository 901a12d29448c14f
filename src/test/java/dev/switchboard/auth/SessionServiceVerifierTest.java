package dev.switchboard.auth;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.support.Await;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.SessionService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --auth session} against a real session service on loopback: answers, refusals, failures,
 * a service that hangs, caching (time moved by hand) and coalescing of concurrent look-ups.
 */
@ExtendWith(VertxExtension.class)
class SessionServiceVerifierTest {
  // Generous: the first request of a cold JVM on a busy machine must not count as a timeout.
  private static final long TIMEOUT_MS = 2_000;

  private final ManualClock clock = new ManualClock();
  private SessionService service;
  private SessionServiceVerifier verifier;

  @BeforeEach
  void start(Vertx vertx) {
    service = SessionService.start(vertx).user("tok-alice", "alice").user("tok-42", "42");
    verifier = new SessionServiceVerifier(vertx, new SwitchboardOptions().setAuth("session")
        .setSessionUrl(service.url()).setSessionTimeout(TIMEOUT_MS)
        .setSessionCacheTtl(60_000).setSessionRefusalTtl(5_000).validate(), clock);
  }

  @AfterEach
  void stop() {
    Await.result(verifier.close());
    service.close();
  }

  private Future<Identity> verify(String token) {
    return verifier.verify(new Credentials(token, Credentials.Source.QUERY));
  }

  private String userOf(String token) {
    return Await.result(verify(token)).userId();
  }

  private CloseReason refusal(String token) {
    return assertThrows(AuthFailure.class, () -> userOf(token)).closeReason();
  }

  @Test
  void aKnownSessionIsItsUserAndTheTokenGoesAsBearer() {
    assertEquals("alice", userOf("tok-alice"));
    assertEquals(List.of("Bearer tok-alice"), service.authorizations());
  }

  @Test
  void refusalsAre401_403_404() {
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok-unknown"));
    service.fail(403);
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok-forbidden"));
    service.fail(404);
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok-gone"));
  }

  @Test
  void otherStatusesAreUnavailableAndNotRemembered() {
    service.fail(500);
    assertEquals(CloseReason.AUTH_UNAVAILABLE, refusal("tok-alice"));
    service.fail(302);
    assertEquals(CloseReason.AUTH_UNAVAILABLE, refusal("tok-alice"));
    service.answer();
    assertEquals("alice", userOf("tok-alice"));
    assertEquals(3, service.requests());
  }

  @Test
  void aServiceThatHangsIsUnavailableWithinTheTimeout() {
    service.hang();
    long started = System.nanoTime();
    // Await gives up after 10 s; the verifier must answer long before, at its own timeout.
    assertEquals(CloseReason.AUTH_UNAVAILABLE, refusal("tok-alice"));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs >= TIMEOUT_MS, "answered before the timeout: " + tookMs + " ms");
    assertEquals(1, service.requests());
    // Nothing was remembered: once the service answers again, so does the broker.
    service.answer();
    assertEquals("alice", userOf("tok-alice"));
    assertEquals(2, service.requests());
  }

  @Test
  void aSlowButTimelyAnswerCounts() {
    service.slow(200);
    assertEquals("alice", userOf("tok-alice"));
  }

  @Test
  void anAnswerWithoutTheUserFieldIsUnavailable() {
    service.userField("uid");
    assertEquals(CloseReason.AUTH_UNAVAILABLE, refusal("tok-alice"));
    service.userField(null);
    assertEquals(CloseReason.AUTH_UNAVAILABLE, refusal("tok-alice"));
  }

  @Test
  void numericUserIdsAreAccepted() {
    assertEquals("42", userOf("tok-42"));
  }

  @Test
  void acceptedTokensAreRememberedForTheTtl() {
    assertEquals("alice", userOf("tok-alice"));
    assertEquals("alice", userOf("tok-alice"));
    clock.advance(59_000);
    assertEquals("alice", userOf("tok-alice"));
    assertEquals(1, service.requests());
    // The session ends on the service side; the broker learns it when the entry expires.
    service.forget("tok-alice");
    clock.advance(1_001);
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok-alice"));
    assertEquals(2, service.requests());
  }

  @Test
  void refusalsAreRememberedShorter() {
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok-bob"));
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok-bob"));
    assertEquals(1, service.requests());
    service.user("tok-bob", "bob");
    clock.advance(5_001);
    assertEquals("bob", userOf("tok-bob"));
    assertEquals(2, service.requests());
  }

  @Test
  void concurrentLookUpsOfOneTokenShareOneRequest() {
    service.hold();
    List<Future<Identity>> pending = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pending.add(verify("tok-alice"));
    }
    pending.add(verify("tok-42"));
    awaitHeld(2);
    service.release();
    for (Future<Identity> each : pending.subList(0, 20)) {
      assertEquals("alice", Await.result(each).userId());
    }
    assertEquals("42", Await.result(pending.get(20)).userId());
    assertEquals(2, service.requests(), "one request per token");
  }

  @Test
  void tokensThatCannotBeBearerTokensAreRefusedWithoutAsking() {
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok alice"));
    assertEquals(CloseReason.INVALID_TOKEN, refusal("tok\r\nX-Injected: 1"));
    assertEquals(0, service.requests());
  }

  // The requests reach the service asynchronously; wait for them without sleeping a fixed time.
  private void awaitHeld(int count) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (service.held() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("service holds " + service.held() + " requests, expected " + count);
      }
      Thread.onSpinWait();
    }
  }
}
