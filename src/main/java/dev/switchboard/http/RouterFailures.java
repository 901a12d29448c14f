package dev.switchboard.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the router answers when no route handled a failure. Vert.x Web logs those at SEVERE with the
 * stack trace ("Unhandled exception in router") unless the status has an error handler, so a client
 * could fill the log with requests it cannot route ({@code CONNECT host:22}, {@code OPTIONS *}, a path
 * with a bad %-escape). A 4xx is the client's fault: one FINE line without a trace. A 5xx that carries
 * an exception is the broker's fault and keeps its SEVERE line and trace. The router still sends the
 * status.
 *
 * <p>Vert.x Web also calls these handlers when no route matched at all; they answer as it would. 405 and 415 are left to Vert.x Web, which adds the Allow and Accept headers: it
 * never fails requests with them by itself.
 */
public final class RouterFailures {
  private static final Logger LOG = Logger.getLogger(RouterFailures.class.getName());
  private static final int FIRST_ERROR = 400;
  private static final int LAST_ERROR = 599;
  private static final Set<Integer> VERTX_DEFAULT = Set.of(405, 415);
  /** Vert.x Web's body for a request no route matched. */
  private static final String NOT_FOUND = "<html><body><h1>Resource not found</h1></body></html>";

  private RouterFailures() {
  }

  /** Installs the error handlers on {@code router}. */
  public static Router install(Router router) {
    for (int status = FIRST_ERROR; status <= LAST_ERROR; status++) {
      int code = status;
      if (!VERTX_DEFAULT.contains(code)) {
        router.errorHandler(code, ctx -> handle(ctx, code));
      }
    }
    return router;
  }

  // Vert.x Web ends a failed request itself after this handler, but not one that no route matched: the
  // answer is given here in both cases, as Vert.x Web would give it.
  private static void handle(RoutingContext ctx, int status) {
    log(ctx, status);
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.end();
    } else if (status == 404) {
      response.putHeader("Content-Type", "text/html; charset=utf-8").end(NOT_FOUND);
    } else {
      response.end(response.getStatusMessage());
    }
  }

  // The path is left out: an XHR path carries the peer's token.
  private static void log(RoutingContext ctx, int status) {
    Throwable failure = ctx.failure();
    String remote = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    if (status >= 500 && failure != null) {
      LOG.log(Level.SEVERE, "request " + ctx.request().method() + " from " + remote + " failed with " + status, failure);
      return;
    }
    LOG.fine(() -> "answered " + status + " to " + ctx.request().method() + " from " + remote
        + (failure == null ? "" : ": " + failure.getMessage()));
  }
}
