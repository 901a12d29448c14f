package dev.switchboard.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks the client's presence requests; every bad one is a {@link PresenceError}. */
final class PresenceRequests {
  /** The statuses a client may set ({@code offline} is the broker's to say). */
  static final Set<String> STATUSES = Set.of("online", "away", "busy", "dnd");
  /** Longest note, in characters (UTF-16 units, as JavaScript counts them). */
  static final int MAX_NOTE = 256;
  /** Longest user id. */
  static final int MAX_USER_ID = 256;
  /** Most users one PRESENCE-WATCH or PRESENCE-UNWATCH may name. */
  static final int MAX_USERS_PER_REQUEST = 500;

  /** A PRESENCE-SET: a status and an optional note. */
  record StatusSet(String status, String note) {
  }

  private PresenceRequests() {
  }

  static StatusSet set(JsonObject payload) {
    if (payload == null) {
      throw new PresenceError(PresenceError.INVALID, "PRESENCE-SET needs a payload object");
    }
    Object status = payload.getValue("status");
    if (!(status instanceof String text) || !STATUSES.contains(text)) {
      throw new PresenceError(PresenceError.INVALID, "status must be one of online, away, busy, dnd");
    }
    Object note = payload.getValue("note");
    if (note != null && !(note instanceof String)) {
      throw new PresenceError(PresenceError.INVALID, "note must be a string");
    }
    if (note != null && ((String) note).length() > MAX_NOTE) {
      throw new PresenceError(PresenceError.LIMIT, "note is longer than " + MAX_NOTE + " characters");
    }
    return new StatusSet((String) status, (String) note);
  }

  /** The distinct users of a PRESENCE-WATCH or PRESENCE-UNWATCH, in the order given. */
  static List<String> users(String type, JsonObject payload) {
    Object users = payload == null ? null : payload.getValue("users");
    if (!(users instanceof JsonArray array)) {
      throw new PresenceError(PresenceError.INVALID, type + " needs a payload with an array users");
    }
    if (array.size() > MAX_USERS_PER_REQUEST) {
      throw new PresenceError(PresenceError.LIMIT, type + " names more than " + MAX_USERS_PER_REQUEST + " users");
    }
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (Object user : array) {
      if (!(user instanceof String id) || id.isEmpty() || id.length() > MAX_USER_ID) {
        throw new PresenceError(PresenceError.INVALID, "users must be strings of 1 to " + MAX_USER_ID + " characters");
      }
      distinct.add(id);
    }
    return List.copyOf(distinct);
  }
}
