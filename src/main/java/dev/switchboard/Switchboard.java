package dev.switchboard;

import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.ListenerSet;
import dev.switchboard.routing.LocalPeerDirectory;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.TakeoverRule;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A running broker, and the way to start one inside an existing Vert.x application (the counterpart
 * of PeerServer's {@code ExpressPeerServer}):
 *
 * <pre>{@code
 * Switchboard.start(vertx, new SwitchboardOptions().setPort(9000).setPath("/myapp"))
 *     .onSuccess(sb -> sb.addListener(new BrokerListener() {
 *       public void peerConnected(PeerLink peer) { ... }
 *     }));
 * }</pre>
 */
public final class Switchboard {
  private static final Logger LOG = Logger.getLogger(Switchboard.class.getName());
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final SwitchboardOptions options;
  private final SignalRouter router;
  private final PeerGate gate;
  private final ListenerSet listeners;
  private final List<String> deployments = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private int actualPort;
  private boolean closed;

  private Switchboard(Vertx vertx, SwitchboardOptions options, Clock clock, PeerGate gate) {
    this.vertx = vertx;
    this.options = options;
    this.gate = gate;
    this.listeners = new ListenerSet();
    this.router = new SignalRouter(
        new LocalPeerDirectory(TakeoverRule.forOnDuplicate(options.getOnDuplicate()), options.getConcurrentLimit()),
        new OfflineMailbox(options.getMaxQueuePerPeer(), options.getMaxQueuedTotal()),
        clock, options.getExpireTimeout(), options.getAliveTimeout(), listeners);
  }

  /** Starts a broker; the future completes once it listens. */
  public static Future<Switchboard> start(Vertx vertx, SwitchboardOptions options) {
    return start(vertx, options, Clock.systemUTC());
  }

  /** Starts a broker that reads time from {@code clock} (tests move it instead of sleeping). */
  public static Future<Switchboard> start(Vertx vertx, SwitchboardOptions options, Clock clock) {
    SwitchboardOptions copy;
    try {
      copy = new SwitchboardOptions(options).validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return PeerGate.create(vertx, copy, clock).compose(gate -> {
      Switchboard switchboard = new Switchboard(vertx, copy, clock, gate);
      return switchboard.listen().map(switchboard).recover(failure -> gate.close().transform(v -> Future.failedFuture(failure)));
    });
  }

  // Every instance binds the same address, so Vert.x shares one listening socket across event loops.
  // Port 0 would give each its own random port; a negative port is Vert.x's shared random port,
  // unique per broker so two brokers in one Vert.x do not share.
  private Future<Void> listen() {
    int instances = options.getEventLoops() > 0 ? options.getEventLoops() : Runtime.getRuntime().availableProcessors();
    int port = options.getPort() == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : options.getPort();
    List<BrokerVerticle> verticles = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          BrokerVerticle verticle = new BrokerVerticle(router, gate, options, port);
          verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .map(id -> {
          deployments.add(id);
          actualPort = verticles.get(0).actualPort();
          timers.add(vertx.setPeriodic(sweepPeriod(options.getExpireTimeout()), t -> router.sweepMailbox()));
          timers.add(vertx.setPeriodic(sweepPeriod(options.getAliveTimeout()), t -> router.sweepSilentPeers()));
          LOG.info(() -> String.format("Switchboard listening on %s://%s:%d%s (%d event loops)",
              options.getSslKey() != null ? "https" : "http", options.getHost(), actualPort, options.getPath(),
              instances));
          return null;
        });
  }

  // PeerServer sweeps queues every second and liveness every 300 ms; short timeouts sweep faster.
  private static long sweepPeriod(long timeout) {
    return Math.max(20, Math.min(timeout / 5, 1000));
  }

  /** The port the broker listens on (the real one when 0 was asked for). */
  public int actualPort() {
    return actualPort;
  }

  /** The effective options. */
  public SwitchboardOptions options() {
    return new SwitchboardOptions(options);
  }

  /** How many peers are connected. */
  public int peerCount() {
    return router.directory().size();
  }

  /** Adds a listener for connections, messages and disconnections. */
  public Switchboard addListener(BrokerListener listener) {
    listeners.add(listener);
    return this;
  }

  public Switchboard removeListener(BrokerListener listener) {
    listeners.remove(listener);
    return this;
  }

  /** Stops sweeping, tells every peer the server is going away, and stops listening. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    timers.forEach(vertx::cancelTimer);
    for (PeerLink link : List.copyOf(router.directory().links())) {
      router.end(link, CloseReason.SHUTDOWN);
    }
    List<Future<Void>> undeployed = new ArrayList<>();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      undeployed.add(vertx.undeploy(deployments.get(i)));
    }
    return Future.all(undeployed).transform(v -> gate.close()).mapEmpty();
  }
}
