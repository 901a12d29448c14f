package dev.switchboard.auth;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.AbstractPeerLink;
import dev.switchboard.routing.SignalRouter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.switchboard.auth.AuthSettings.AUTH;
import static dev.switchboard.auth.AuthSettings.AUTH_COOKIE;
import static dev.switchboard.auth.AuthSettings.ID_POLICY;

/**
 * The step every transport takes between "parameters look right" and {@link SignalRouter#connect}:
 * credentials → identity (the {@link TokenVerifier}) → may this user take this id (the
 * {@link IdPolicy}). A transport reads the credentials and calls {@link #connect} instead of the
 * router's; for the XHR transport that is
 * <pre>{@code gate.connect(router, link, gate.fromXhr(request.headers(), pathToken))}</pre>
 * The HTTP API calls {@link #identify}. With {@code --auth none} it lets everyone through untouched,
 * as PeerServer does.
 */
public final class PeerGate {
  private static final Logger LOG = Logger.getLogger(PeerGate.class.getName());

  /** Longer tokens are refused unread; no session or JWT is anywhere near this. */
  public static final int MAX_TOKEN_LENGTH = 8192;

  private final TokenVerifier verifier;
  private final IdPolicy idPolicy;
  private final TokenSources sources;
  private final boolean enabled;
  private final Lookups lookups = new Lookups();
  private final List<AdmissionCheck> checks = new CopyOnWriteArrayList<>();
  private volatile Clock clock = Clock.systemUTC();

  /** How long one failed look-up keeps {@link #backendUp()} false. */
  public static final long BACKEND_DOWN_FOR_MS = 10_000;

  // Results, as the metrics label them: hit (from the cache), miss (checked now: JWT locally, session
  // by asking the service), refused (a bad token), failure (the backend could not answer).
  private static final class Lookups {
    volatile java.util.function.BiConsumer<String, Long> sink = (result, nanos) -> { };
    private volatile long downSince = -1;

    void record(io.vertx.core.AsyncResult<Identity> outcome, long nanos, long now) {
      String result;
      if (outcome.succeeded()) {
        result = outcome.result().cached() ? "hit" : "miss";
        downSince = -1;
      } else if (outcome.cause() instanceof AuthFailure failure && failure.isUnavailable()) {
        result = "failure";
        downSince = now;
      } else {
        result = "refused";
      }
      sink.accept(result, nanos);
    }

    boolean backendUp(long now) {
      long since = downSince;
      return since < 0 || now - since >= BACKEND_DOWN_FOR_MS;
    }
  }

  PeerGate(TokenVerifier verifier, IdPolicy idPolicy, TokenSources sources, boolean enabled) {
    this.verifier = verifier;
    this.idPolicy = idPolicy;
    this.sources = sources;
    this.enabled = enabled;
  }

  /** {@code --auth none}: no checks. */
  public static PeerGate open() {
    return new PeerGate(TokenVerifier.NONE, IdPolicy.ANY, new TokenSources(null), false);
  }

  /** A gate with a given verifier (embedding, tests). */
  public static PeerGate of(TokenVerifier verifier, IdPolicy idPolicy, String cookieName) {
    return new PeerGate(verifier, idPolicy, new TokenSources(cookieName), true);
  }

  /**
   * The gate the (validated) options describe. Fails, naming the option, when a key cannot be loaded
   * or a key set fetched: a misconfigured broker does not start rather than let everyone in.
   */
  public static Future<PeerGate> create(Vertx vertx, SwitchboardOptions options, Clock clock) {
    Future<TokenVerifier> verifier;
    switch (options.get(AUTH)) {
      case "none":
        return Future.succeededFuture(open());
      case "jwt":
        verifier = JwtVerifier.create(vertx, options, clock);
        break;
      case "session":
        verifier = Future.succeededFuture(new SessionServiceVerifier(vertx, options, clock));
        break;
      default:
        return Future.failedFuture(new IllegalArgumentException("Invalid auth: " + options.get(AUTH)));
    }
    return verifier.map(v -> {
      LOG.info(() -> "auth " + options.get(AUTH) + ", id_policy " + options.get(ID_POLICY) + ", on_duplicate "
          + options.getOnDuplicate() + (options.get(AUTH_COOKIE) != null ? ", cookie " + options.get(AUTH_COOKIE) : ""));
      PeerGate gate = of(v, IdPolicy.named(options.get(ID_POLICY)), options.get(AUTH_COOKIE));
      gate.clock = clock;
      return gate;
    });
  }

  /** Whether peers must prove who they are. */
  public boolean enabled() {
    return enabled;
  }

  /** Where transports read credentials from. */
  public TokenSources sources() {
    return sources;
  }

  /** The WebSocket's credentials (subprotocol, cookie, then PeerJS's {@code ?token=}); null with auth none. */
  public Credentials fromWebSocket(MultiMap headers, String queryToken) {
    return enabled ? sources.fromWebSocket(headers, queryToken) : null;
  }

  /** An XHR request's credentials (bearer, cookie, then the path's token); null with auth none. */
  public Credentials fromXhr(MultiMap headers, String pathToken) {
    return enabled ? sources.fromXhr(headers, pathToken) : null;
  }

  /** A plain HTTP request's credentials (bearer, then cookie); null with auth none. */
  public Credentials fromHttp(MultiMap headers) {
    return enabled ? sources.fromHttp(headers) : null;
  }

  /**
   * Admits {@code link} if its credentials prove a user who may hold {@code link.id()}, then hands it to
   * the router. A refusal is reported to the router and closes the link with the reason (ERROR notice,
   * then close code 1008, or 1013 when the verifier could not answer).
   *
   * @param credentials what the client presented, or {@code null} for nothing
   * @return whether the peer was admitted (as {@link SignalRouter#connect})
   */
  public Future<Boolean> connect(SignalRouter router, AbstractPeerLink link, Credentials credentials) {
    if (!enabled) {
      return barred(router, link, null) ? Future.succeededFuture(false) : router.connect(link);
    }
    return admit(credentials, link.id()).transform(checked -> {
      if (checked.failed()) {
        CloseReason reason = reasonFor(checked.cause());
        if (checked.cause() instanceof AuthFailure) {
          LOG.fine(() -> "refused " + link + " (" + credentials + "): " + checked.cause().getMessage());
        } else {
          LOG.log(Level.WARNING, "verifying the token of " + link + " failed unexpectedly", checked.cause());
        }
        router.refused(link.transport(), link.remoteAddress(), reason);
        link.close(reason);
        return Future.succeededFuture(false);
      }
      if (barred(router, link, checked.result().userId())) {
        return Future.succeededFuture(false);
      }
      link.bindUser(checked.result().userId());
      link.bindContacts(checked.result().contacts());
      link.bindClaims(checked.result().claims());
      return router.connect(link);
    });
  }

  /** Adds a check every peer must pass after its token (a ban list, say); see {@link AdmissionCheck}. */
  public PeerGate addCheck(AdmissionCheck check) {
    checks.add(check);
    return this;
  }

  // Refuses and closes the link when a check bars it.
  private boolean barred(SignalRouter router, AbstractPeerLink link, String userId) {
    for (AdmissionCheck check : checks) {
      CloseReason refusal = check.refuse(link.id(), userId);
      if (refusal != null) {
        LOG.fine(() -> "refused " + link + ": " + refusal.text());
        router.refused(link.transport(), link.remoteAddress(), refusal);
        link.close(refusal);
        return true;
      }
    }
    return false;
  }

  /** Verifies {@code credentials} and checks that their user may take {@code peerId}. */
  public Future<Identity> admit(Credentials credentials, String peerId) {
    return identify(credentials).compose(identity -> identity.isAnonymous() || idPolicy.permits(identity.userId(), peerId)
        ? Future.succeededFuture(identity)
        : Future.failedFuture(AuthFailure.idNotAllowed("user may not use this id")));
  }

  /** Verifies {@code credentials}; fails with an {@link AuthFailure} for a missing or refused token. */
  public Future<Identity> identify(Credentials credentials) {
    if (!enabled) {
      return Future.succeededFuture(Identity.ANONYMOUS);
    }
    if (credentials == null || credentials.token().isEmpty()) {
      return Future.failedFuture(AuthFailure.invalidToken("no token"));
    }
    if (credentials.token().length() > MAX_TOKEN_LENGTH) {
      return Future.failedFuture(AuthFailure.invalidToken("token longer than " + MAX_TOKEN_LENGTH));
    }
    long started = System.nanoTime();
    Future<Identity> verified;
    try {
      verified = verifier.verify(credentials);
    } catch (RuntimeException e) {
      verified = Future.failedFuture(e);
    }
    return verified.andThen(outcome -> lookups.record(outcome, System.nanoTime() - started, clock.millis()));
  }

  /** Reports every identity look-up to {@code sink} (result, nanoseconds): the metrics. */
  public PeerGate reportLookupsTo(java.util.function.BiConsumer<String, Long> sink) {
    lookups.sink = sink;
    return this;
  }

  /**
   * Whether the identity backend (session service, JWKS endpoint) is not known to be down: false from a
   * look-up that found it unavailable until one succeeds or {@link #BACKEND_DOWN_FOR_MS} pass without
   * another such failure (so a node a load balancer took out of rotation comes back to be tried).
   */
  public boolean backendUp() {
    return lookups.backendUp(clock.millis());
  }

  /** The id {@code GET /{key}/id} hands to a verified user. */
  public String idFor(Identity identity, Predicate<String> taken) {
    return idPolicy.idFor(identity.userId(), taken);
  }

  /** The close reason for a failure of {@link #admit}; anything unexpected counts as unavailable. */
  public static CloseReason reasonFor(Throwable failure) {
    return failure instanceof AuthFailure known ? known.closeReason() : CloseReason.AUTH_UNAVAILABLE;
  }

  public Future<Void> close() {
    return verifier.close();
  }
}
