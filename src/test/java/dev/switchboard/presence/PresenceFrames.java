package dev.switchboard.presence;

import dev.switchboard.support.TestPeer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Presence frames on a {@link TestPeer}, as the client add-on sends and reads them. */
final class PresenceFrames {
  private PresenceFrames() {
  }

  static void send(TestPeer peer, String type, JsonObject payload) {
    peer.send(new JsonObject().put("type", type).put("payload", payload));
  }

  static void set(TestPeer peer, String status, String note) {
    send(peer, "PRESENCE-SET", new JsonObject().put("status", status).put("note", note));
  }

  static void watch(TestPeer peer, String... users) {
    send(peer, "PRESENCE-WATCH", new JsonObject().put("users", new JsonArray(List.of(users))));
  }

  /** The next frame's payload, checked to be of {@code type}, with a payload object and no connectionId. */
  static JsonObject expect(TestPeer peer, String type) {
    JsonObject frame = peer.expectType(type);
    JsonObject payload = frame.getJsonObject("payload");
    assertNotNull(payload, () -> "no payload in " + frame);
    assertFalse(payload.containsKey("connectionId"), () -> "connectionId in " + frame);
    assertEquals(2, frame.size(), () -> "only type and payload expected in " + frame);
    return payload;
  }

  /** The next frame: a snapshot's {@code users}. */
  static JsonObject snapshot(TestPeer peer) {
    JsonObject payload = expect(peer, "PRESENCE");
    assertEquals(Boolean.TRUE, payload.getBoolean("snapshot"), () -> "not a snapshot: " + payload);
    return payload.getJsonObject("users");
  }

  static void expectError(TestPeer peer, String code) {
    JsonObject error = expect(peer, "PRESENCE-ERROR");
    assertEquals(code, error.getString("code"), () -> "error " + error);
    assertNotNull(error.getString("msg"));
  }

  static JsonObject entry(String status, String note, int devices) {
    return new JsonObject().put("status", status).put("note", note).put("devices", devices);
  }

  /**
   * Reads PRESENCE frames until {@code user}'s entry equals {@code wanted}; answers every entry of
   * {@code user} seen on the way, the wanted one last.
   */
  static List<JsonObject> awaitEntry(TestPeer peer, String user, JsonObject wanted) {
    List<JsonObject> seen = new ArrayList<>();
    while (true) {
      JsonObject users = expect(peer, "PRESENCE").getJsonObject("users");
      JsonObject entry = users.getJsonObject(user);
      if (entry != null) {
        seen.add(entry);
        if (entry.equals(wanted)) {
          return seen;
        }
      }
    }
  }
}
