package dev.switchboard.admin;

import dev.switchboard.rooms.Room;
import dev.switchboard.rooms.RoomError;
import dev.switchboard.rooms.RoomService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.admin.AdminApi.body;
import static dev.switchboard.admin.AdminApi.fail;
import static dev.switchboard.admin.AdminApi.ok;

/**
 * The admin API's rooms (docs/admin-api.md): rooms the application creates, optionally restricted to
 * listed users, listed from this node's view (every node knows every room) and removed with their
 * members told. Room errors keep the wire protocol's codes.
 */
final class AdminRooms {
  /** Users a restricted room may list. */
  static final int MAX_USERS = 1_000;

  private static final Map<String, Integer> STATUS = Map.of(RoomError.INVALID, 400, RoomError.NOT_FOUND, 404,
      RoomError.EXISTS, 409, RoomError.LIMIT, 409, RoomError.FORBIDDEN, 403, RoomError.FULL, 409,
      RoomError.UNAVAILABLE, 503);

  private final RoomService rooms;

  AdminRooms(RoomService rooms) {
    this.rooms = rooms;
  }

  void mount(Router router) {
    router.get("/admin/rooms").handler(ctx -> ok(ctx, 200, new JsonObject().put("rooms",
        new JsonArray(rooms.rooms().stream().map(AdminRooms::json).toList()))));
    router.get("/admin/rooms/:id").handler(this::get);
    router.post("/admin/rooms").handler(this::create);
    router.delete("/admin/rooms/:id").handler(this::remove);
  }

  private void get(RoutingContext ctx) {
    Room room = rooms.room(ctx.pathParam("id"));
    if (room == null) {
      fail(ctx, 404, RoomError.NOT_FOUND, "no room " + ctx.pathParam("id"));
    } else {
      ok(ctx, 200, json(room));
    }
  }

  private void create(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String problem = problem(body);
    if (problem != null) {
      fail(ctx, 400, RoomError.INVALID, problem);
      return;
    }
    Number capacity = (Number) body.getValue("capacity");
    Number timeout = (Number) body.getValue("emptyTimeoutMs");
    List<String> users = users(body.getValue("users"));
    rooms.create(body.getString("roomId"), capacity == null ? null : capacity.intValue(), users,
        timeout == null ? null : timeout.longValue()).onComplete(done -> {
          if (done.failed()) {
            failed(ctx, done.cause());
            return;
          }
          Room room = rooms.room(done.result());
          ok(ctx, 201, room != null ? json(room) : new JsonObject().put("roomId", done.result()));
        });
  }

  private void remove(RoutingContext ctx) {
    rooms.remove(ctx.pathParam("id")).onComplete(done -> {
      if (done.failed()) {
        failed(ctx, done.cause());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private static void failed(RoutingContext ctx, Throwable cause) {
    if (cause instanceof RoomError error) {
      fail(ctx, STATUS.getOrDefault(error.code(), 400), error.code(), error.getMessage());
    } else {
      fail(ctx, 503, RoomError.UNAVAILABLE, "rooms are unavailable now: " + cause.getMessage());
    }
  }

  // The shape; the ranges (capacity, timeout, id) are the rooms service's, answered with its messages.
  private static String problem(JsonObject body) {
    Object roomId = body.getValue("roomId");
    if (roomId != null && !(roomId instanceof String)) {
      return "roomId must be a string";
    }
    for (String field : List.of("capacity", "emptyTimeoutMs")) {
      Object value = body.getValue(field);
      if (value != null && !(value instanceof Integer || value instanceof Long)) {
        return field + " must be a whole number";
      }
    }
    Object users = body.getValue("users");
    if (users != null && (!(users instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_USERS
        || !list.stream().allMatch(u -> u instanceof String s && !s.isEmpty() && s.length() <= AdminApi.MAX_USER))) {
      return "users must be 1 to " + MAX_USERS + " user ids (strings of 1 to " + AdminApi.MAX_USER + " characters)";
    }
    return null;
  }

  private static List<String> users(Object value) {
    if (value == null) {
      return null;
    }
    List<String> users = new ArrayList<>();
    ((JsonArray) value).forEach(u -> users.add((String) u));
    return users;
  }

  static JsonObject json(Room room) {
    JsonArray members = new JsonArray();
    room.seats().forEach(seat -> members.add(new JsonObject().put("peer", seat.peer()).put("user", seat.user())));
    return new JsonObject().put("roomId", room.id()).put("capacity", room.capacity())
        .put("emptyTimeoutMs", room.emptyTimeoutMs()).put("members", members)
        .put("users", room.allowedUsers() == null ? null : new JsonArray(room.allowedUsers().stream().sorted().toList()))
        .put("creator", room.creator());
  }
}
