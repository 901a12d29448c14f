package dev.switchboard.rooms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.switchboard.rooms.RoomSettings.MAX_EMPTY_TIMEOUT_MS;
import static dev.switchboard.rooms.RoomSettings.MAX_ROOM_ID_LENGTH;
import static dev.switchboard.rooms.RoomSettings.MIN_EMPTY_TIMEOUT_MS;

/** Reads and checks the clients' ROOM-* payloads; anything malformed is {@link RoomError#INVALID}. */
final class RoomRequests {
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ROOM_ID_LENGTH + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A ROOM-CREATE: the id is {@code null} when the broker is to make one. */
  record Create(String roomId, int capacity, long emptyTimeoutMs) {
  }

  private RoomRequests() {
  }

  /** A new room id: 128 random bits, 22 base64url characters. */
  static String newRoomId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  static Create create(JsonObject payload, int defaultCapacity, int maxCapacity, long defaultEmptyTimeout) {
    JsonObject p = object(payload, null);
    String roomId = p.containsKey("roomId") && p.getValue("roomId") != null ? roomId(p) : null;
    int capacity = defaultCapacity;
    if (p.getValue("capacity") != null) {
      capacity = (int) whole(p, "capacity", roomId, 1, maxCapacity);
    }
    long emptyTimeout = defaultEmptyTimeout;
    if (p.getValue("emptyTimeoutMs") != null) {
      emptyTimeout = whole(p, "emptyTimeoutMs", roomId, MIN_EMPTY_TIMEOUT_MS, MAX_EMPTY_TIMEOUT_MS);
    }
    return new Create(roomId, capacity, emptyTimeout);
  }

  /** The {@code roomId} of a ROOM-JOIN or ROOM-LEAVE. */
  static String roomIdOf(JsonObject payload) {
    return roomId(object(payload, null));
  }

  static void checkRoomId(String roomId) {
    if (roomId == null || !ROOM_ID.matcher(roomId).matches()) {
      throw new RoomError(RoomError.INVALID, null, "roomId must be 1 to " + MAX_ROOM_ID_LENGTH
          + " of A-Z a-z 0-9 . _ : -");
    }
  }

  /**
   * The users of room {@code roomId} in a verified token's rooms claim ({@code {roomId: [user, ...]}}), or
   * {@code null} when the claim does not list it. A claim of the wrong shape lists nothing.
   */
  static Set<String> listedUsers(Object claim, String roomId) {
    if (!(claim instanceof JsonObject rooms) || !(rooms.getValue(roomId) instanceof JsonArray users)) {
      return null;
    }
    Set<String> listed = new HashSet<>();
    for (Object user : users) {
      if (user instanceof String name && !name.isEmpty()) {
        listed.add(name);
      }
    }
    return listed;
  }

  private static JsonObject object(JsonObject payload, String roomId) {
    if (payload == null) {
      throw new RoomError(RoomError.INVALID, roomId, "payload must be an object");
    }
    return payload;
  }

  private static String roomId(JsonObject p) {
    Object value = p.getValue("roomId");
    if (!(value instanceof String id)) {
      throw new RoomError(RoomError.INVALID, null, "roomId must be a string");
    }
    checkRoomId(id);
    return id;
  }

  private static long whole(JsonObject p, String field, String roomId, long min, long max) {
    Object value = p.getValue(field);
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new RoomError(RoomError.INVALID, roomId, field + " must be a whole number");
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      throw new RoomError(RoomError.INVALID, roomId, field + " must be " + min + " to " + max);
    }
    return n;
  }
}
