package dev.switchboard.http;

import dev.switchboard.auth.AuthFailure;
import dev.switchboard.auth.Identity;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.routing.SignalRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.transport.EdgeSettings.CORS;
import static dev.switchboard.config.ServerSettings.ALLOW_DISCOVERY;
import static dev.switchboard.config.ServerSettings.KEY;
import static dev.switchboard.config.ServerSettings.PATH;

/**
 * PeerServer's HTTP API under {@code path}. Unlike PeerServer 1.0.2 the key is checked here too, so
 * {@code /{wrong key}/id} does not hand out ids. With auth on, {@code /id} answers the caller's own id
 * and {@code /peers} needs a valid credential (bearer or cookie): 401 without one, 503 when it cannot
 * be checked now; {@code /peers} then lists only the peers of the users the caller may see (the presence
 * scope: docs/rooms-presence.md), or all of them with {@code --allow_discovery}.
 */
public final class HttpApi {

  /** Which peers a verified caller of {@code /peers} may see (the presence scope). */
  @FunctionalInterface
  public interface VisiblePeers {
    /** Everyone sees every peer. */
    VisiblePeers ALL = caller -> Future.succeededFuture(null);

    /** The peer ids {@code caller} may see, or {@code null} for all of them. */
    Future<List<String>> visibleTo(Identity caller);
  }

  /** PeerServer 1.0.2's answer to {@code GET {path}}, word for word. */
  static final String INFO = new JsonObject()
      .put("name", "PeerJS Server")
      .put("description", "A server side element to broker connections between PeerJS clients.")
      .put("website", "https://peerjs.com/")
      .encode();

  private final SignalRouter router;
  private final PeerGate gate;
  private final SwitchboardOptions options;
  private final VisiblePeers visiblePeers;

  public HttpApi(SignalRouter router, PeerGate gate, SwitchboardOptions options) {
    this(router, gate, options, VisiblePeers.ALL);
  }

  public HttpApi(SignalRouter router, PeerGate gate, SwitchboardOptions options, VisiblePeers visiblePeers) {
    this.router = router;
    this.gate = gate;
    this.options = options;
    this.visiblePeers = visiblePeers;
  }

  /** The route table. */
  public Router routes(Vertx vertx) {
    String path = options.get(PATH);
    Router web = Router.router(vertx);
    web.route().handler(new CorsPolicy(options.get(CORS)));
    web.get(path).handler(this::info);
    if (path.length() > 1) {
      web.get(path.substring(0, path.length() - 1)).handler(this::info);
    }
    web.get(path + ":key/id").handler(this::newId);
    web.get(path + ":key/peers").handler(this::peers);
    return web;
  }

  private void info(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(INFO);
  }

  private void newId(RoutingContext ctx) {
    if (!keyMatches(ctx)) {
      return;
    }
    if (!gate.enabled()) {
      // PeerServer answers with Express's default for strings, text/html; PeerJS reads it as text.
      ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(router.newId());
      return;
    }
    // new Peer({token}) without an id asks here first: it gets its user's id, not a random one.
    authenticated(ctx, identity -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(gate.idFor(identity, router.directory()::contains)));
  }

  private void peers(RoutingContext ctx) {
    if (!keyMatches(ctx)) {
      return;
    }
    // PeerServer's rule without auth: all or nothing. With auth, what the caller's token may see.
    if (!gate.enabled() && !options.get(ALLOW_DISCOVERY)) {
      ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8").end("Unauthorized");
      return;
    }
    authenticated(ctx, identity -> {
      Future<List<String>> visible = gate.enabled() && !options.get(ALLOW_DISCOVERY)
          ? visiblePeers.visibleTo(identity) : Future.succeededFuture(null);
      visible.onComplete(listed -> {
        if (listed.failed()) {
          ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8").end("Unavailable");
          return;
        }
        List<String> ids = listed.result() != null ? listed.result() : List.copyOf(router.directory().ids());
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(new JsonArray(ids).encode());
      });
    });
  }

  // Runs `then` for a verified caller (anyone with auth none); otherwise 401, or 503 if unavailable.
  private void authenticated(RoutingContext ctx, Consumer<Identity> then) {
    gate.identify(gate.fromHttp(ctx.request().headers())).onComplete(checked -> {
      if (checked.succeeded()) {
        then.accept(checked.result());
        return;
      }
      AuthFailure failure = checked.cause() instanceof AuthFailure known ? known
          : AuthFailure.unavailable("verification failed");
      if (failure.httpStatus() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      ctx.response().setStatusCode(failure.httpStatus()).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(failure.closeReason().text());
    });
  }

  private boolean keyMatches(RoutingContext ctx) {
    if (options.get(KEY).equals(ctx.pathParam("key"))) {
      return true;
    }
    ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("Invalid key provided");
    return false;
  }
}
