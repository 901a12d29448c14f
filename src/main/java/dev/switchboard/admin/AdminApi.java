package dev.switchboard.admin;

import dev.switchboard.routing.Broker;
import dev.switchboard.routing.PeerLocation;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;

/**
 * The admin API's routes under {@code /admin} (docs/admin-api.md, docs/admin-api.yaml): peers, bans,
 * calls, and (with rooms) rooms. Every request needs {@code Authorization: Bearer <admin_token>},
 * compared in constant time; every error is {@code {"code", "message"}} with a fitting status.
 */
public final class AdminApi {
  static final int MAX_BODY = 16 * 1024;
  static final int MAX_USER = 256;
  static final int MAX_TEXT = 256;
  static final String DEFAULT_KICK_TEXT = "Removed by the application";

  private final byte[] tokenDigest;
  private final Clock clock;
  private final Broker broker;
  private final BanList bans;
  private final BanSync banSync;
  private final NodeAdmin nodes;
  private final AdminRooms rooms;
  private final int maxBans;

  AdminApi(String token, Clock clock, Broker broker, BanList bans, BanSync banSync, NodeAdmin nodes, AdminRooms rooms,
           int maxBans) {
    this.tokenDigest = sha256(token);
    this.clock = clock;
    this.broker = broker;
    this.bans = bans;
    this.banSync = banSync;
    this.nodes = nodes;
    this.rooms = rooms;
    this.maxBans = maxBans;
  }

  /** Adds the routes to {@code router} (the metrics/admin port's). */
  public Router mount(Router router) {
    router.route("/admin/*").handler(this::authorize);
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    router.get("/admin/peers").handler(this::listPeers);
    router.delete("/admin/peers/:id").handler(this::kick);
    router.get("/admin/bans").handler(ctx -> ok(ctx, 200, new JsonObject().put("bans",
        new JsonArray(bans.list().stream().map(Ban::toJson).toList()))));
    router.post("/admin/bans").handler(this::ban);
    router.delete("/admin/bans/:user").handler(this::lift);
    router.get("/admin/calls").handler(ctx -> gathered(ctx, "calls", "calls", null));
    rooms.mount(router);
    router.route("/admin/*").handler(ctx -> fail(ctx, 404, "not_found", "no admin route " + ctx.request().method()
        + " " + ctx.request().path()));
    return router;
  }

  private void authorize(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    // Digests of equal length, compared without an early exit: the time says nothing about the token.
    if (!MessageDigest.isEqual(sha256(given), tokenDigest)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"switchboard-admin\"");
      fail(ctx, 401, "unauthorized", "a valid admin token is required (Authorization: Bearer <admin_token>)");
      return;
    }
    ctx.next();
  }

  private void listPeers(RoutingContext ctx) {
    String user = ctx.request().getParam("user");
    gathered(ctx, "peers", "peers", user == null ? null : item -> user.equals(item.getString("user"))
        || (item.getString("user") == null && user.equals(item.getString("id"))));
  }

  private void gathered(RoutingContext ctx, String op, String field, java.util.function.Predicate<JsonObject> keep) {
    nodes.gather(op).onComplete(done -> {
      if (done.failed()) {
        fail(ctx, 503, "unavailable", "the cluster could not be asked: " + done.cause().getMessage());
        return;
      }
      JsonArray items = new JsonArray();
      done.result().items().forEach(item -> {
        if (keep == null || keep.test((JsonObject) item)) {
          items.add(item);
        }
      });
      ok(ctx, 200, new JsonObject().put(field, items).put("unreachable", new JsonArray(done.result().unreachable())));
    });
  }

  private void kick(RoutingContext ctx) {
    String peer = ctx.pathParam("id");
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String text = body.getValue("message") instanceof String s ? s : null;
    if (body.containsKey("message") && (text == null || text.isBlank() || text.length() > MAX_TEXT)) {
      fail(ctx, 400, "invalid", "message must be a non-empty string of at most " + MAX_TEXT + " characters");
      return;
    }
    PeerLocation where = broker.lookup(peer);
    if (!where.connected()) {
      fail(ctx, 404, "not_found", "no peer " + peer + " is connected");
      return;
    }
    nodes.kick(where.isHere() ? null : where.node(), peer, text != null ? text : DEFAULT_KICK_TEXT)
        .onComplete(done -> {
          if (done.failed()) {
            fail(ctx, 503, "unavailable", "the node holding " + peer + " did not answer");
          } else if (!done.result()) {
            fail(ctx, 404, "not_found", "no peer " + peer + " is connected");
          } else {
            ctx.response().setStatusCode(204).end();
          }
        });
  }

  private void ban(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String problem = banProblem(body);
    if (problem != null) {
      fail(ctx, 400, "invalid", problem);
      return;
    }
    String user = body.getString("user");
    if (!bans.banned(user) && bans.size() >= maxBans) {
      fail(ctx, 409, "limit", "the broker keeps at most " + maxBans + " bans (max_bans)");
      return;
    }
    Number until = (Number) body.getValue("untilMs");
    Ban ban = new Ban(user, until == null ? 0 : until.longValue(), body.getString("reason"), clock.millis());
    banSync.ban(ban).onComplete(done -> {
      if (done.failed()) {
        fail(ctx, 503, "unavailable", "the ban could not be stored: " + done.cause().getMessage());
      } else {
        ok(ctx, 201, ban.toJson());
      }
    });
  }

  private String banProblem(JsonObject body) {
    if (!(body.getValue("user") instanceof String user) || user.isEmpty() || user.length() > MAX_USER) {
      return "user must be a non-empty string of at most " + MAX_USER + " characters";
    }
    Object until = body.getValue("untilMs");
    if (until != null && !(until instanceof Long || until instanceof Integer)) {
      return "untilMs must be a whole number of epoch milliseconds";
    }
    if (until != null && ((Number) until).longValue() <= clock.millis()) {
      return "untilMs must be in the future (omit it for a ban without end)";
    }
    Object reason = body.getValue("reason");
    if (reason != null && (!(reason instanceof String text) || text.length() > Ban.MAX_REASON)) {
      return "reason must be a string of at most " + Ban.MAX_REASON + " characters";
    }
    return null;
  }

  private void lift(RoutingContext ctx) {
    String user = ctx.pathParam("user");
    if (!bans.banned(user)) {
      fail(ctx, 404, "not_found", "user " + user + " is not banned");
      return;
    }
    banSync.lift(user).onComplete(done -> {
      if (done.failed()) {
        fail(ctx, 503, "unavailable", "the ban could not be lifted: " + done.cause().getMessage());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  // The request's JSON object body ({} when there is none), or null after answering 400.
  static JsonObject body(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      // answered below
    }
    fail(ctx, 400, "invalid", "the body must be one JSON object");
    return null;
  }

  static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  static void fail(RoutingContext ctx, int status, String code, String message) {
    ok(ctx, status, new JsonObject().put("code", code).put("message", message));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
