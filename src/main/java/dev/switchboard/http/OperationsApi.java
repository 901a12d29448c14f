package dev.switchboard.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Routes for operators and load balancers, at the server root whatever {@code --path} is:
 * {@code GET /health} (the process serves requests), {@code GET /ready} (send it new peers: 200, else
 * 503) and {@code GET /metrics} (Prometheus text) unless metrics are served on their own port.
 */
public final class OperationsApi {
  private final Readiness readiness;
  private final Handler<RoutingContext> metrics;
  private final Handler<RoutingContext> responseCounter;

  /**
   * @param metrics the Prometheus handler, or null when the broker has no metrics
   * @param responseCounter counts every response of the broker's router, or null without metrics
   */
  public OperationsApi(Readiness readiness, Handler<RoutingContext> metrics, Handler<RoutingContext> responseCounter) {
    this.readiness = readiness;
    this.metrics = metrics;
    this.responseCounter = responseCounter;
  }

  /** Counts the responses of {@code router}'s routes, those mounted before this call included. */
  public void countResponses(Router router) {
    if (responseCounter != null) {
      router.route().order(-1).handler(responseCounter);
    }
  }

  /** Adds the routes to {@code router}; {@code withMetrics} false when /metrics lives on another port. */
  public Router mount(Router router, boolean withMetrics) {
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    if (withMetrics && metrics != null) {
      router.get("/metrics").handler(metrics);
    }
    return router;
  }

  /** A router of its own, for the {@code --metrics_port} server. */
  public Router router(Vertx vertx) {
    return mount(Router.router(vertx), true);
  }

  private void health(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("status", "UP").encode());
  }

  private void ready(RoutingContext ctx) {
    Readiness.Status status = readiness.status();
    JsonObject body = new JsonObject().put("status", status.ready() ? "READY" : status.state());
    if (status.reason() != null) {
      body.put("reason", status.reason());
    }
    ctx.response().setStatusCode(status.ready() ? 200 : 503)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
