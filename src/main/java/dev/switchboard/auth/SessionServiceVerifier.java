package dev.switchboard.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static dev.switchboard.auth.AuthSettings.SESSION_CACHE_TTL;
import static dev.switchboard.auth.AuthSettings.SESSION_REFUSAL_TTL;
import static dev.switchboard.auth.AuthSettings.SESSION_TIMEOUT;
import static dev.switchboard.auth.AuthSettings.SESSION_URL;
import static dev.switchboard.auth.AuthSettings.SESSION_USER_FIELD;
import static dev.switchboard.presence.PresenceSettings.SESSION_CONTACTS_FIELD;

/**
 * {@code --auth session}: asks the application's session service who a token belongs to, with
 * {@code GET session_url} and {@code Authorization: Bearer <token>}.
 * <ul>
 *   <li>200 with a JSON object whose {@code session_user_field} holds the user id: accepted, remembered
 *       for {@code session_cache_ttl};</li>
 *   <li>401, 403, 404: refused, remembered for {@code session_refusal_ttl};</li>
 *   <li>anything else, or no complete answer within {@code session_timeout}: unavailable, not
 *       remembered, so the next attempt asks again.</li>
 * </ul>
 * Look-ups of one token that overlap share one request. The cache is keyed by the token's SHA-256,
 * so the cache holds no tokens.
 */
public final class SessionServiceVerifier implements TokenVerifier {
  private static final Logger LOG = Logger.getLogger(SessionServiceVerifier.class.getName());

  /** Most tokens remembered at once. */
  static final long MAX_CACHED = 100_000;
  /** Connections to the session service at once (one client, shared by all event loops). */
  static final int MAX_CONNECTIONS = 32;
  // RFC 6750 b64token: nothing else can go into the header, and nothing else is sent.
  private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  /**
   * What became of a look-up: a user, refused (neither), or unavailable ({@code failure}). Unavailable
   * is a value too, expiring at once, so the cache never hands out a failure another caller already saw.
   */
  private record Verdict(String userId, AuthFailure failure, java.util.Set<String> contacts) {
    static final Verdict REFUSED = new Verdict(null, null, java.util.Set.of());

    Verdict(String userId, AuthFailure failure) {
      this(userId, failure, java.util.Set.of());
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final String url;
  private final String userField;
  private final String contactsField;
  private final long timeoutMs;
  private final AsyncCache<String, Verdict> cache;

  public SessionServiceVerifier(Vertx vertx, SwitchboardOptions options, Clock clock) {
    this.vertx = vertx;
    this.url = options.get(SESSION_URL);
    this.userField = options.get(SESSION_USER_FIELD);
    this.contactsField = options.get(SESSION_CONTACTS_FIELD);
    this.timeoutMs = options.get(SESSION_TIMEOUT);
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)),
        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    long acceptedNanos = TimeUnit.MILLISECONDS.toNanos(options.get(SESSION_CACHE_TTL));
    long refusedNanos = TimeUnit.MILLISECONDS.toNanos(options.get(SESSION_REFUSAL_TTL));
    this.cache = Caffeine.newBuilder()
        .maximumSize(MAX_CACHED)
        .expireAfter(new Expiry<String, Verdict>() {
          @Override
          public long expireAfterCreate(String key, Verdict verdict, long now) {
            return verdict.userId() != null ? acceptedNanos : verdict.failure() == null ? refusedNanos : 0;
          }

          @Override
          public long expireAfterUpdate(String key, Verdict verdict, long now, long currentDuration) {
            return expireAfterCreate(key, verdict, now);
          }

          @Override
          public long expireAfterRead(String key, Verdict verdict, long now, long currentDuration) {
            return currentDuration;
          }
        })
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        // Maintenance is cheap; run it where the cache is used instead of in the common pool.
        .executor(Runnable::run)
        .buildAsync();
  }

  @Override
  public Future<Identity> verify(Credentials credentials) {
    String token = credentials.token();
    if (!BEARER_TOKEN.matcher(token).matches()) {
      return Future.failedFuture(AuthFailure.invalidToken("token has characters a bearer token cannot have"));
    }
    Context context = vertx.getOrCreateContext();
    boolean[] asked = new boolean[1];
    CompletableFuture<Verdict> verdict = cache.get(fingerprint(token), (key, executor) -> {
      asked[0] = true;
      CompletableFuture<Verdict> pending = new CompletableFuture<>();
      lookUp(token).onComplete(looked -> {
        // Unavailable is not remembered: out of the cache before anyone sees it, so the next caller asks again.
        if (looked.result().failure() != null) {
          cache.asMap().remove(key, pending);
        }
        pending.complete(looked.result());
      });
      return pending;
    });
    return Future.fromCompletionStage(verdict, context).transform(answered -> {
      if (answered.failed()) {
        Throwable cause = answered.cause() instanceof CompletionException wrapped ? wrapped.getCause() : answered.cause();
        return Future.failedFuture(cause instanceof AuthFailure ? cause : AuthFailure.unavailable("session service failed"));
      }
      Verdict result = answered.result();
      if (result.failure() != null) {
        return Future.failedFuture(result.failure());
      }
      return result.userId() != null
          ? Future.succeededFuture(new Identity(result.userId(), !asked[0], result.contacts()))
          : Future.failedFuture(AuthFailure.invalidToken("session service refused the token"));
    });
  }

  private Future<Verdict> lookUp(String token) {
    return client.request(new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Accept", "application/json")
            .setIdleTimeout(timeoutMs))
        // The body is asked for in the callback that gets the response: a later stage may run after
        // the body went by, and it would never arrive.
        .compose(request -> request.send().compose(this::verdict))
        // The whole exchange, not just each read: a service that drips its answer is as dead as a silent one.
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(failure -> {
          AuthFailure unavailable = failure instanceof AuthFailure known ? known
              : AuthFailure.unavailable("session service did not answer: " + failure.getClass().getSimpleName());
          LOG.warning(() -> "session service " + url + " unavailable: " + unavailable.getMessage());
          return Future.succeededFuture(new Verdict(null, unavailable));
        });
  }

  private Future<Verdict> verdict(HttpClientResponse response) {
    int status = response.statusCode();
    return response.body().compose(body -> {
      switch (status) {
        case 200:
          return accepted(body);
        case 401:
        case 403:
        case 404:
          return Future.succeededFuture(Verdict.REFUSED);
        default:
          return Future.failedFuture(AuthFailure.unavailable("session service answered HTTP " + status));
      }
    });
  }

  private Future<Verdict> accepted(Buffer body) {
    Object value;
    Object contacts;
    try {
      JsonObject answer = new JsonObject(body);
      value = answer.getValue(userField);
      contacts = contactsField == null ? null : answer.getValue(contactsField);
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(AuthFailure.unavailable("session service answered 200 without a JSON object"));
    }
    String userId = UserIds.of(value);
    if (userId == null) {
      return Future.failedFuture(AuthFailure.unavailable("session service answered 200 without a " + userField + " field"));
    }
    return Future.succeededFuture(new Verdict(userId, null, UserIds.contacts(contacts)));
  }

  private static String fingerprint(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
