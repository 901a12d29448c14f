package dev.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A JWK set fetched from {@code --jwt_jwks_url}: loaded at start (the broker does not start without
 * it), refreshed every {@link #REFRESH_PERIOD_MS}, and fetched again when a token names an unknown
 * {@code kid} — at most once per {@link #MIN_REFRESH_INTERVAL_MS}, so tokens with made-up kids cannot
 * turn the broker into a load generator for the issuer. A failed refresh keeps the keys it had.
 */
final class JwksKeys implements JwtVerifier.Keys {
  private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());

  static final long REFRESH_PERIOD_MS = 10 * 60_000;
  static final long MIN_REFRESH_INTERVAL_MS = 5_000;
  static final long FETCH_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final String url;
  private final JWTOptions checks;
  private final Clock clock;
  private volatile JWTAuth current;
  // Guarded by this.
  private Future<JWTAuth> inFlight;
  private long lastFetch = Long.MIN_VALUE;
  private long timer = -1;

  JwksKeys(Vertx vertx, String url, JWTOptions checks, Clock clock) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) FETCH_TIMEOUT_MS));
    this.url = url;
    this.checks = checks;
    this.clock = clock;
  }

  /** Loads the key set once and starts the periodic refresh; fails naming the option. */
  Future<Void> start() {
    return fetch()
        .<Void>map(keys -> {
          timer = vertx.setPeriodic(REFRESH_PERIOD_MS, t -> fetch());
          return null;
        })
        .recover(failure -> client.close().transform(v -> Future.failedFuture(new IllegalArgumentException(
            "Invalid jwt_jwks_url: could not load a JWK set from " + url + ": " + failure.getMessage()))));
  }

  @Override
  public JWTAuth current() {
    return current;
  }

  @Override
  public synchronized Future<JWTAuth> refreshForUnknownKid() {
    if (inFlight != null) {
      return inFlight;
    }
    if (clock.millis() - lastFetch < MIN_REFRESH_INTERVAL_MS) {
      return Future.succeededFuture(null);
    }
    return fetch();
  }

  private synchronized Future<JWTAuth> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
    lastFetch = clock.millis();
    Future<JWTAuth> fetching = client.request(new RequestOptions().setAbsoluteURI(url).setMethod(HttpMethod.GET)
            .putHeader("Accept", "application/json").setIdleTimeout(FETCH_TIMEOUT_MS))
        // The body is asked for in the callback that gets the response: a later stage may run after
        // the body went by, and it would never arrive.
        .compose(request -> request.send().compose(response -> response.body().compose(body -> response.statusCode() == 200
            ? Future.succeededFuture(body)
            : Future.failedFuture("HTTP " + response.statusCode()))))
        .map(body -> provider(new JsonObject(body)))
        .timeout(FETCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    inFlight = fetching;
    fetching.onComplete(done -> {
      synchronized (this) {
        inFlight = null;
      }
      if (done.succeeded()) {
        current = done.result();
      } else if (current != null) {
        LOG.warning(() -> "could not refresh the JWK set from " + url + ", keeping the previous keys: "
            + done.cause().getMessage());
      }
    });
    return fetching;
  }

  // Only RSA and EC signing keys: a symmetric key has no place in a published set, and a set without
  // any usable key must fail here, because vertx-auth-jwt accepts unsigned tokens when it has no keys.
  private JWTAuth provider(JsonObject set) {
    JsonArray keys = set.getJsonArray("keys");
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
    if (keys != null) {
      for (Object entry : keys) {
        if (entry instanceof JsonObject key && isSigningKey(key)) {
          options.addJwk(key);
        }
      }
    }
    if (options.getJwks() == null || options.getJwks().isEmpty()) {
      throw new IllegalStateException("the JWK set has no RSA or EC signing keys");
    }
    return JWTAuth.create(vertx, options);
  }

  private static boolean isSigningKey(JsonObject key) {
    String kty = key.getString("kty");
    String use = key.getString("use");
    return ("RSA".equals(kty) || "EC".equals(kty)) && (use == null || "sig".equals(use));
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return client.close();
  }
}
