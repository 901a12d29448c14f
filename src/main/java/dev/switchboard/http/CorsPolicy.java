package dev.switchboard.http;

import dev.switchboard.log.OnceLog;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * CORS as PeerServer 1.0.2 answers it (Express's {@code cors} with {@code origin: true}, or the
 * {@code --cors} array): the request's {@code Origin} is echoed in {@code Access-Control-Allow-Origin}
 * with {@code Vary: Origin}, whatever its scheme ({@code capacitor://localhost}, {@code app://…},
 * {@code chrome-extension://…}, {@code null} from a {@code file://} page). With a {@code --cors} list,
 * an origin not on it gets the answer without that header, so the browser hides it from the page; the
 * request itself is not refused here (XHR sessions refuse it themselves, see {@code ConnectionPolicy}).
 * Preflights are answered 204 with Express's default methods and the requested headers.
 */
public final class CorsPolicy implements Handler<RoutingContext> {
  /** What Express's {@code cors} allows by default. */
  static final String METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";
  /** Browsers may cache a preflight this long (s): XHR sessions with a bearer token preflight each stream. */
  static final String MAX_AGE = "600";
  private static final Logger LOG = Logger.getLogger(CorsPolicy.class.getName());
  private static final OnceLog NOT_LISTED = new OnceLog(LOG, Level.INFO);

  private final List<String> origins;
  private final boolean any;

  /** @param origins the {@code --cors} list; empty or holding {@code *} allows any origin */
  public CorsPolicy(List<String> origins) {
    this.origins = List.copyOf(origins);
    this.any = origins.isEmpty() || origins.contains("*");
  }

  /** Whether {@code origin} is given {@code Access-Control-Allow-Origin}. */
  public boolean allows(String origin) {
    return any || origins.stream().anyMatch(origin::equalsIgnoreCase);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String origin = request.getHeader("Origin");
    response.headers().add("Vary", "Origin");
    boolean allowed = origin != null && allows(origin);
    if (allowed) {
      response.putHeader("Access-Control-Allow-Origin", origin);
    } else if (origin != null) {
      NOT_LISTED.log(origin, () -> "CORS: origin " + origin + " is not in --cors " + origins
          + "; its pages cannot read the broker's answers");
    }
    if (request.method() == HttpMethod.OPTIONS && request.getHeader("Access-Control-Request-Method") != null) {
      if (allowed) {
        response.putHeader("Access-Control-Allow-Methods", METHODS).putHeader("Access-Control-Max-Age", MAX_AGE);
        String headers = request.getHeader("Access-Control-Request-Headers");
        if (headers != null) {
          response.putHeader("Access-Control-Allow-Headers", headers);
          response.headers().add("Vary", "Access-Control-Request-Headers");
        }
      }
      response.setStatusCode(204).putHeader("Content-Length", "0").end();
      return;
    }
    ctx.next();
  }
}
