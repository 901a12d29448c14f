package dev.switchboard;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.http.RouterFailures;
import dev.switchboard.metrics.MetricsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import static dev.switchboard.metrics.MetricsSettings.METRICS_PORT;

/**
 * The metrics/admin port ({@code --metrics_port}): {@code /health}, {@code /ready}, {@code /metrics} and the
 * admin API on a server of their own, for operators and the application's servers. Nothing listens here
 * when the option is left at {@link MetricsSettings#SAME_PORT} (they are then on the broker's port,
 * without the admin API).
 */
final class MetricsPort {
  private final Vertx vertx;
  private final SwitchboardOptions options;
  private HttpServer server;

  MetricsPort(Vertx vertx, SwitchboardOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Listens with {@code routes}, unless the metrics share the broker's port. */
  Future<Void> listen(Router routes) {
    if (options.get(METRICS_PORT) == MetricsSettings.SAME_PORT) {
      return Future.succeededFuture();
    }
    return vertx.createHttpServer()
        .requestHandler(RouterFailures.install(routes))
        .listen(options.get(METRICS_PORT), options.getMetricsHost())
        .recover(failure -> Future.failedFuture(StartupChecks.explainBindFailure(failure, "metrics_port",
            options.getMetricsHost(), options.get(METRICS_PORT))))
        .map(listening -> {
          server = listening;
          return null;
        });
  }

  /** The port listened on, or -1 when there is no server of its own. */
  int port() {
    return server == null ? -1 : server.actualPort();
  }

  /** For the start-up line: where the metrics are, when not on the broker's port. */
  String describe() {
    return server == null ? "" : "; metrics on " + options.getMetricsHost() + ":" + server.actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
