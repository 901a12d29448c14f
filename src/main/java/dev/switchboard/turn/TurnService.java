package dev.switchboard.turn;

import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.IdRule;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.function.Consumer;
import java.util.logging.Logger;

import static dev.switchboard.config.ServerSettings.KEY;
import static dev.switchboard.config.ServerSettings.MAX_ID_LENGTH;
import static dev.switchboard.config.ServerSettings.PATH;
import static dev.switchboard.turn.TurnSettings.TURN_ALLOW_ANONYMOUS;

/**
 * ICE servers for peers (docs/turn.md): STUN, and TURN with short-lived coturn credentials for the
 * verified user (or, with auth none and {@code --turn_allow_anonymous}, the peer id). Two ways to get
 * them: {@code GET {path}{key}/ice} ({@link IceRoute}) and an {@code ICE-SERVERS} frame pushed after
 * OPEN and refreshed before half the ttl has passed ({@link IcePush}). Without TURN or STUN URIs it
 * does nothing: no route, no frames.
 */
public final class TurnService {
  private static final Logger LOG = Logger.getLogger(TurnService.class.getName());
  /** The {@code way} label of {@link Issued}: the HTTP route. */
  public static final String HTTP = "http";
  /** The {@code way} label of {@link Issued}: the pushed frame. */
  public static final String PUSH = "push";

  private final Vertx vertx;
  private final IceServers servers;
  private final IcePush push;
  private final IceRoute route;
  private final String path;
  private final long sweepTimer;

  /** Told of every answer handed out with TURN credentials, by way ({@link #HTTP}, {@link #PUSH}). */
  @FunctionalInterface
  public interface Issued {
    Issued NONE = way -> { };

    void issued(String way);
  }

  private TurnService(Vertx vertx, SwitchboardOptions options, Broker broker, PeerGate gate, Issued issued) {
    this.vertx = vertx;
    this.servers = IceServers.of(options, broker.clock());
    this.path = options.get(PATH);
    boolean anonymous = !servers.hasTurn() || options.get(TURN_ALLOW_ANONYMOUS);
    Issued counted = servers.hasTurn() ? issued : Issued.NONE;
    this.route = new IceRoute(options.get(KEY), gate, new IdRule(options.get(MAX_ID_LENGTH)), servers::answerFor,
        anonymous, () -> counted.issued(HTTP));
    long refreshMs = servers.hasTurn() ? IcePush.refreshMsFor(servers.ttlSeconds()) : 0;
    this.push = new IcePush(broker, peer -> answerFor(peer, anonymous), refreshMs, () -> counted.issued(PUSH));
    this.sweepTimer = refreshMs > 0 ? vertx.setPeriodic(sweepPeriod(refreshMs), t -> push.sweep()) : -1;
    if (servers.hasTurn() && !gate.enabled()) {
      LOG.warning(() -> anonymous
          ? "turn_allow_anonymous: anyone who reaches this broker gets TURN credentials (an open relay)"
          : "auth is none and turn_allow_anonymous is off: no peer gets TURN credentials (GET /ice answers 403)");
    }
  }

  /**
   * Installs the service on a switchboard: listens for peers to push to (through {@code listeners}).
   *
   * @param issued told of credentials handed out, for metrics
   * @return the service; {@link #mount} adds its route to each HTTP router
   */
  public static TurnService install(Vertx vertx, SwitchboardOptions options, Broker broker, PeerGate gate,
                                    Consumer<BrokerListener> listeners, Issued issued) {
    TurnService service = new TurnService(vertx, options, broker, gate, issued);
    if (service.servers.any()) {
      listeners.accept(service.push);
    }
    return service;
  }

  /** Adds {@code GET {path}:key/ice} to {@code router} (nothing without TURN or STUN URIs). */
  public void mount(Router router) {
    if (servers.any()) {
      router.get(path + ":key/ice").handler(route::handle);
    }
  }

  /** Whether TURN or STUN servers are configured. */
  public boolean enabled() {
    return servers.any();
  }

  /** Stops the refresh timer. */
  public void close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  /** Pushes the refreshes that are due now (the timer does this on its own; tests that move the clock call it). */
  void sweep() {
    push.sweep();
  }

  IcePush push() {
    return push;
  }

  private JsonObject answerFor(PeerLink peer, boolean anonymous) {
    if (peer.userId() != null) {
      return servers.answerFor(peer.userId());
    }
    return anonymous ? servers.answerFor(peer.id()) : null;
  }

  // Often enough that a refresh is late by at most a tenth of its interval, and at most once a second.
  private static long sweepPeriod(long refreshMs) {
    return Math.max(20, Math.min(1000, refreshMs / 10));
  }
}
