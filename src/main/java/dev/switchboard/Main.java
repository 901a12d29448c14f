package dev.switchboard;

import dev.switchboard.cluster.ClusteredVertx;
import dev.switchboard.config.CommandLineParser;
import dev.switchboard.config.ConfigSources;
import dev.switchboard.config.InvalidSetting;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.switchboard.cluster.ClusterSettings.CLUSTER;
import static dev.switchboard.config.ServerSettings.DRAIN_TIMEOUT;
import static dev.switchboard.config.ServerSettings.EVENT_LOOPS;
import static dev.switchboard.config.ServerSettings.LOG_FORMAT;
import static dev.switchboard.config.ServerSettings.TRANSPORT;
import static dev.switchboard.tls.TlsSettings.SSLKEY;

/**
 * {@code java -jar switchboard.jar [flags]}: parses the flags and runs the broker until stopped.
 * SIGTERM and SIGINT drain gracefully and exit 0; SIGHUP reloads the TLS certificate.
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());
  /** Time allowed on top of the drain for closing servers and Vert.x. */
  private static final long CLOSE_GRACE_MS = 5_000;

  private Main() {
  }

  public static void main(String[] args) {
    Logging.configure();
    ConfigSources.Resolved resolved;
    try {
      resolved = CommandLineParser.parseResolved(args, System.getenv(), new PrintWriter(System.out, true),
          new PrintWriter(System.err, true));
    } catch (CommandLineParser.Exit exit) {
      System.exit(exit.status());
      return;
    }
    SwitchboardOptions options = resolved.options();
    Logging.useFormat(options.get(LOG_FORMAT));
    if (JvmSettings.defaults(System.getProperty("switchboard.launcher"),
        ManagementFactory.getRuntimeMXBean().getInputArguments())) {
      LOG.info(JvmSettings.NOTE);
    }
    int loops = options.get(EVENT_LOOPS) > 0 ? options.get(EVENT_LOOPS) : Runtime.getRuntime().availableProcessors();
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    // A native transport where available (io_uring or epoll, see transport()): fewer system calls and
    // less garbage than NIO's selector per event-loop pass; Vert.x falls back to NIO on its own elsewhere.
    VertxOptions vertxOptions = new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true)
        .setMetricsOptions(metrics.vertxMetricsOptions());
    VertxBuilder builder = Vertx.builder().withMetrics(metrics.vertxMetricsFactory());
    Transport transport = transport(options.get(TRANSPORT));
    if (transport != null) {
      if (!transport.available()) {
        System.err.println("--transport " + options.get(TRANSPORT) + " is not available here: "
            + transport.unavailabilityCause());
        System.exit(CommandLineParser.USAGE);
        return;
      }
      builder.withTransport(transport);
    }
    Future<Vertx> created = options.get(CLUSTER)
        ? ClusteredVertx.start(options, vertxOptions, builder)
        : Future.succeededFuture(builder.with(vertxOptions).build());
    created.onSuccess(vertx -> run(vertx, resolved, metrics)).onFailure(failure -> {
      LOG.log(Level.SEVERE, "Could not join the cluster: " + failure.getMessage());
      System.exit(1);
    });
  }

  /** The transport named by {@code --transport}; {@code null} for Vert.x's own choice. */
  static Transport transport(String name) {
    return switch (name) {
      case "epoll" -> Transport.EPOLL;
      case "io_uring" -> Transport.IO_URING;
      case "nio" -> Transport.NIO;
      // auto: io_uring where the kernel offers it (fewer system calls per message: measured in
      // docs/performance.md), else Vert.x's choice (epoll on Linux, NIO elsewhere)
      default -> Transport.IO_URING.available() ? Transport.IO_URING : null;
    };
  }

  // A setting that turns out bad only at start (a port in use, a key not matching its certificate)
  // exits 2 like a bad flag, naming where the setting came from.
  private static void run(Vertx vertx, ConfigSources.Resolved resolved, SwitchboardMetrics metrics) {
    SwitchboardOptions options = resolved.options();
    Switchboard.start(vertx, options, metrics)
        .onSuccess(switchboard -> handleSignals(vertx, switchboard, options))
        .onFailure(failure -> {
          int status = 1;
          if (failure instanceof InvalidSetting invalid) {
            System.err.println(resolved.explain(invalid).getMessage());
            status = CommandLineParser.USAGE;
          } else {
            LOG.log(Level.SEVERE, "Could not start: " + failure.getMessage());
          }
          vertx.close();
          System.exit(status);
        });
  }

  private static void handleSignals(Vertx vertx, Switchboard switchboard, SwitchboardOptions options) {
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable drainAndExit = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      long limit = options.get(DRAIN_TIMEOUT) + CLOSE_GRACE_MS;
      try {
        switchboard.drain().toCompletionStage().toCompletableFuture().get(limit, TimeUnit.MILLISECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        LOG.info("Stopped");
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Shutdown did not finish cleanly: " + e);
      }
      System.exit(0);
    };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        LOG.info(() -> "Received SIG" + signal.getName() + "; shutting down gracefully");
        new Thread(drainAndExit, "switchboard-drain").start();
      });
    }
    // Always handled: the JVM's own reaction to SIGHUP is to exit, and a service manager's reload
    // (systemctl reload, docs/deploy/switchboard.service) must never stop a broker without TLS.
    boolean tls = options.get(SSLKEY) != null;
    Signal.handle(new Signal("HUP"), signal -> {
      if (tls) {
        LOG.info("Received SIGHUP; reloading the TLS certificate");
        switchboard.reloadCertificates();
      } else {
        LOG.info("Received SIGHUP; no TLS certificate to reload");
      }
    });
    // Other exits (System.exit elsewhere, SIGQUIT is not one) still close the broker.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!stopping.get()) {
        switchboard.close().toCompletionStage().toCompletableFuture().join();
      }
    }, "switchboard-shutdown"));
  }
}
