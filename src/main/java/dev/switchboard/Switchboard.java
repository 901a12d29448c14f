package dev.switchboard;

import dev.switchboard.auth.PeerGate;
import dev.switchboard.calls.CallService;
import dev.switchboard.presence.PresenceService;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.http.OperationsApi;
import dev.switchboard.http.Readiness;
import dev.switchboard.log.ConnectionLog;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.rooms.RoomService;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.ListenerSet;
import dev.switchboard.routing.LocalPeerDirectory;
import dev.switchboard.routing.MessageHandler;
import dev.switchboard.routing.MessageHandlers;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.RemotePeers;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.TakeoverRule;
import dev.switchboard.tls.CertificateReloader;
import dev.switchboard.transport.ConnectionPolicy;
import dev.switchboard.transport.LoopPlacement;
import dev.switchboard.transport.VertxInternals;
import dev.switchboard.turn.TurnService;
import dev.switchboard.webhooks.Webhooks;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import static dev.switchboard.cluster.ClusterSettings.CLUSTER;
import static dev.switchboard.cluster.ClusterSettings.CLUSTER_SIZE;
import static dev.switchboard.routing.QueueSettings.MAX_QUEUED_TOTAL;
import static dev.switchboard.routing.QueueSettings.MAX_QUEUE_PER_PEER;
import static dev.switchboard.config.ServerSettings.ALIVE_TIMEOUT;
import static dev.switchboard.config.ServerSettings.CONCURRENT_LIMIT;
import static dev.switchboard.config.ServerSettings.DRAIN_TIMEOUT;
import static dev.switchboard.config.ServerSettings.EVENT_LOOPS;
import static dev.switchboard.config.ServerSettings.EXPIRE_TIMEOUT;
import static dev.switchboard.config.ServerSettings.HOST;
import static dev.switchboard.config.ServerSettings.LOOP_PLACEMENT;
import static dev.switchboard.config.ServerSettings.PATH;
import static dev.switchboard.config.ServerSettings.PORT;
import static dev.switchboard.tls.TlsSettings.CERT_RELOAD_INTERVAL;
import static dev.switchboard.tls.TlsSettings.SSLCERT;
import static dev.switchboard.tls.TlsSettings.SSLKEY;

/**
 * A running broker, and the way to start one inside an existing Vert.x application (the counterpart
 * of PeerServer's {@code ExpressPeerServer}):
 *
 * <pre>{@code
 * Switchboard.start(vertx, new SwitchboardOptions().setPort(9000).setPath("/myapp"))
 *     .onSuccess(sb -> sb.addListener(new BrokerListener() {
 *       public void peerConnected(PeerLink peer) { ... }
 *     }).handle("MY-PING", (from, frame, broker) ->
 *         broker.send(frame.dst(), "MY-PONG", new JsonObject().put("from", from.id()))));
 * }</pre>
 */
public final class Switchboard {
  private static final Logger LOG = Logger.getLogger(Switchboard.class.getName());
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();
  private static final long DRAIN_POLL_MS = 50;

  private final Vertx vertx;
  private final SwitchboardOptions options;
  private final SignalRouter router;
  private final PeerGate gate;
  private final ListenerSet listeners;
  private final OfflineMailbox mailbox;
  private final ConnectionPolicy policy;
  private final Readiness readiness = new Readiness();
  private final SwitchboardMetrics metrics;
  private final ClusterNode cluster;
  private final Features features;
  private final MetricsPort metricsPort;
  private final List<String> deployments = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final List<BrokerVerticle> verticles = new CopyOnWriteArrayList<>();
  private final LoopPlacement placement;
  private CertificateReloader certificates;
  private int actualPort;
  private boolean closed;
  private Future<Void> draining;

  private Switchboard(Vertx vertx, SwitchboardOptions options, Clock clock, SwitchboardMetrics metrics,
                      ClusterNode cluster, PeerGate gate) {
    this.vertx = vertx;
    this.options = options;
    this.placement = new LoopPlacement("pack".equals(options.get(LOOP_PLACEMENT)));
    this.metrics = metrics;
    this.gate = gate;
    this.listeners = new ListenerSet();
    gate.reportLookupsTo(listeners::authLookup);
    if (gate.enabled()) {
      // /ready is false while the identity backend is known to be down (docs/deploy.md).
      readiness.addCheck("auth", gate::backendUp);
    }
    this.cluster = cluster;
    long heap = Runtime.getRuntime().maxMemory();
    this.mailbox = new OfflineMailbox(new OfflineMailbox.Limits(options.get(MAX_QUEUE_PER_PEER),
        options.get(MAX_QUEUED_TOTAL), options.queueBytesPerPeer(heap), options.queueBytesPerSender(heap),
        options.queuedBytesTotal(heap)));
    this.router = new SignalRouter(
        cluster != null ? cluster.directory() : new LocalPeerDirectory(takeoverRule(options), options.get(CONCURRENT_LIMIT)),
        mailbox, clock, options.get(EXPIRE_TIMEOUT), options.get(ALIVE_TIMEOUT), listeners,
        cluster != null ? cluster.remotePeers() : RemotePeers.NONE, new MessageHandlers());
    if (cluster != null) {
      cluster.attach(router);
    }
    this.policy = new ConnectionPolicy(options);
    listeners.add(new ConnectionLog());
    if (metrics != null) {
      listeners.add(metrics.broker());
      metrics.bindState(mailbox::totalQueued, mailbox::totalQueuedBytes, readiness::isReady);
    }
    this.metricsPort = new MetricsPort(vertx, options);
    this.features = Features.install(vertx, options, clock, router, gate, listeners, cluster, mailbox, metrics);
  }

  /** Starts a broker; the future completes once it listens. */
  public static Future<Switchboard> start(Vertx vertx, SwitchboardOptions options) {
    return start(vertx, options, Clock.systemUTC(), null);
  }

  /** Starts a broker that reads time from {@code clock} (tests move it instead of sleeping). */
  public static Future<Switchboard> start(Vertx vertx, SwitchboardOptions options, Clock clock) {
    return start(vertx, options, clock, null);
  }

  /** Starts a broker that reports into {@code metrics} and serves them at {@code /metrics}. */
  public static Future<Switchboard> start(Vertx vertx, SwitchboardOptions options, SwitchboardMetrics metrics) {
    return start(vertx, options, Clock.systemUTC(), metrics);
  }

  private static Future<Switchboard> start(Vertx vertx, SwitchboardOptions options, Clock clock,
                                           SwitchboardMetrics metrics) {
    SwitchboardOptions copy;
    try {
      copy = new SwitchboardOptions(options).validate();
      StartupChecks.readable(copy.get(SSLKEY), "sslkey");
      StartupChecks.readable(copy.get(SSLCERT), "sslcert");
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // With --cluster the broker is one node of a cluster, in a Vert.x clustered with Hazelcast
    // (dev.switchboard.cluster.ClusteredVertx makes one).
    Future<ClusterNode> cluster = StartupChecks.keyPair(vertx, copy).compose(v -> copy.get(CLUSTER)
        ? ClusterNode.join(vertx, takeoverRule(copy), copy.get(CONCURRENT_LIMIT), copy.get(CLUSTER_SIZE))
        : Future.succeededFuture());
    return cluster.compose(node -> PeerGate.create(vertx, copy, clock)
        .compose(gate -> {
          Switchboard switchboard = new Switchboard(vertx, copy, clock, metrics, node, gate);
          return switchboard.listen().map(switchboard)
              .recover(failure -> switchboard.features.close().transform(v -> gate.close())
                  .transform(v -> Future.<Switchboard>failedFuture(failure)));
        })
        .recover(failure -> node == null
            ? Future.failedFuture(failure)
            : node.leave().transform(v -> Future.<Switchboard>failedFuture(failure))));
  }

  // The one place the duplicate rule is chosen (--on_duplicate; takeover by default with auth on).
  private static TakeoverRule takeoverRule(SwitchboardOptions options) {
    return TakeoverRule.forOnDuplicate(options.getOnDuplicate());
  }

  // Every instance listens on the same address, so Vert.x shares one listening socket across event loops.
  // Port 0 would give each its own random port; Vert.x's shared random port (one per id) gives them one,
  // with an id unique per broker so two brokers in one Vert.x do not share.
  private Future<Void> listen() {
    int instances = options.get(EVENT_LOOPS) > 0 ? options.get(EVENT_LOOPS) : Runtime.getRuntime().availableProcessors();
    SocketAddress address = options.get(PORT) == 0
        ? SocketAddress.sharedRandomPort(RANDOM_PORT_KEYS.incrementAndGet(), options.get(HOST))
        : SocketAddress.inetSocketAddress(options.get(PORT), options.get(HOST));
    OperationsApi operations = new OperationsApi(readiness, metrics == null ? null : metrics.scrapeHandler(),
        metrics == null ? null : metrics.broker()::countResponses);
    return features.start()
        .compose(v -> metricsPort.listen(features.mountAdmin(operations.router(vertx))))
        .compose(v -> vertx.deployVerticle(() -> {
          BrokerVerticle verticle = new BrokerVerticle(router, gate, options, address, policy, operations,
              features.visiblePeers(), features::mountPublic, placement);
          verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
            .recover(failure -> Future.failedFuture(
                StartupChecks.explainBindFailure(failure, "port", options.get(HOST), options.get(PORT)))))
        .map(id -> {
          deployments.add(id);
          actualPort = verticles.get(0).actualPort();
          timers.add(vertx.setPeriodic(sweepPeriod(options.get(EXPIRE_TIMEOUT)), t -> router.sweepMailbox()));
          timers.add(vertx.setPeriodic(LoopPlacement.SAMPLE_PERIOD_MS, t -> placement.sample(System.nanoTime())));
          timers.add(vertx.setPeriodic(sweepPeriod(options.get(ALIVE_TIMEOUT)), t -> router.sweepSilentPeers()));
          if (options.get(SSLKEY) != null) {
            certificates = new CertificateReloader(vertx, options.get(SSLKEY), options.get(SSLCERT), this::servers,
                ok -> {
                  if (metrics != null) {
                    metrics.broker().certificateReload(ok);
                  }
                });
            certificates.watch(options.get(CERT_RELOAD_INTERVAL));
          }
          readiness.ready();
          LOG.info(() -> String.format("Switchboard listening on %s://%s:%d%s (%d event loops, %s)%s%s",
              options.get(SSLKEY) != null ? "https" : "http", options.get(HOST), actualPort, options.get(PATH),
              instances, VertxInternals.transportName(vertx), metricsPort.describe(),
              cluster != null ? "; cluster node " + cluster.nodeId() : ""));
          return null;
        });
  }

  private List<HttpServer> servers() {
    return verticles.stream().map(BrokerVerticle::server).toList();
  }

  // PeerServer sweeps queues every second and liveness every 300 ms; short timeouts sweep faster.
  private static long sweepPeriod(long timeout) {
    return Math.max(20, Math.min(timeout / 5, 1000));
  }

  /** The port the broker listens on (the real one when 0 was asked for). */
  public int actualPort() {
    return actualPort;
  }

  /** The port of the separate metrics server ({@code metrics_port}), or -1 when /metrics is on {@link #actualPort()}. */
  public int metricsPort() {
    return metricsPort.port();
  }

  /** The effective options. */
  public SwitchboardOptions options() {
    return new SwitchboardOptions(options);
  }

  /** How many peers are connected (to the whole cluster, with {@code --cluster}). */
  public int peerCount() {
    return router.directory().size();
  }

  /** What {@code GET /ready} answers. */
  public Readiness readiness() {
    return readiness;
  }

  /** Makes {@code /ready} answer 503 while {@code up} is false (an auth backend that is down, say). */
  public Switchboard addReadinessCheck(String name, BooleanSupplier up) {
    readiness.addCheck(name, up);
    return this;
  }

  /**
   * The handler of each message type peers send: PeerServer's by default, each replaceable, and the
   * application's own types (docs/extending.md). Register before peers connect, or at any time: a
   * registration applies from the next frame on.
   */
  public MessageHandlers messageHandlers() {
    return router.handlers();
  }

  /** Makes {@code handler} take the frames of {@code type}; see {@link MessageHandlers#register}. */
  public Switchboard handle(String type, MessageHandler handler) {
    router.handlers().register(type, handler);
    return this;
  }

  /** Sends to, ends and finds peers, on this node or any node of its cluster. */
  public Broker broker() {
    return router.broker();
  }

  /** The call broker (docs/calls.md). */
  public CallService calls() {
    return features.calls;
  }

  /** Presence: who is online, scoped and pushed on change (docs/rooms-presence.md). */
  public PresenceService presence() {
    return features.presence;
  }

  /** ICE servers and TURN credentials for peers (docs/turn.md). */
  public TurnService turn() {
    return features.turn;
  }

  /** Rooms (docs/rooms-presence.md): the Java API, and the view other features read. */
  public RoomService rooms() {
    return features.rooms;
  }

  /** Signed webhooks to the application's backend and the wake-up of offline callees (docs/webhooks.md). */
  public Webhooks webhooks() {
    return features.webhooks;
  }

  /** Tells subscribers that a peer is gone for good (not back within their delay); see {@link Departures}. */
  public Departures departures() {
    return features.departures;
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

  /** Reads the TLS key and certificate files again (SIGHUP); true if the new ones are in use. */
  public Future<Boolean> reloadCertificates() {
    if (certificates == null) {
      return Future.failedFuture(new IllegalStateException("TLS is not enabled (no --sslkey/--sslcert)"));
    }
    return certificates.reload();
  }

  /**
   * A graceful shutdown: stops taking peers ({@code /ready} 503, upgrades 503), tells every connected
   * peer ERROR "Server is restarting, please reconnect" and close 1012 after what was already written
   * to it, waits until their connections are gone or {@code drain_timeout} passed, then closes.
   */
  public Future<Void> drain() {
    if (draining != null) {
      return draining;
    }
    policy.stopAccepting();
    readiness.draining();
    List<PeerLink> links = List.copyOf(router.directory().links());
    LOG.info(() -> "Draining: telling " + links.size() + " peers to reconnect; waiting up to "
        + options.get(DRAIN_TIMEOUT) + " ms for them to go");
    for (PeerLink link : links) {
      router.end(link, CloseReason.RESTART);
    }
    Promise<Void> gone = Promise.promise();
    long deadline = System.nanoTime() + options.get(DRAIN_TIMEOUT) * 1_000_000;
    awaitConnectionsGone(gone, deadline);
    draining = gone.future().compose(v -> close());
    return draining;
  }

  private void awaitConnectionsGone(Promise<Void> gone, long deadline) {
    int open = policy.perAddress().total();
    if (open == 0 || System.nanoTime() >= deadline) {
      if (open > 0) {
        LOG.info(() -> "Drain time is up with " + open + " connections still open; closing them");
      }
      gone.complete();
      return;
    }
    vertx.setTimer(DRAIN_POLL_MS, t -> awaitConnectionsGone(gone, deadline));
  }

  /** Stops sweeping, tells every peer the server is going away, and stops listening. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    policy.stopAccepting();
    readiness.draining();
    timers.forEach(vertx::cancelTimer);
    features.close();
    if (certificates != null) {
      certificates.stop();
    }
    for (PeerLink link : List.copyOf(router.directory().links())) {
      router.end(link, CloseReason.SHUTDOWN);
    }
    Future<Void> left = cluster != null ? cluster.leave() : Future.succeededFuture();
    return left.transform(v -> {
      List<Future<Void>> undeployed = new ArrayList<>();
      for (int i = deployments.size() - 1; i >= 0; i--) {
        undeployed.add(vertx.undeploy(deployments.get(i)));
      }
      undeployed.add(metricsPort.close());
      return Future.all(undeployed).transform(x -> gate.close()).mapEmpty();
    });
  }
}
