package dev.switchboard.rooms;

import dev.switchboard.support.TestPeer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Room frames on a {@link TestPeer}, as the client add-on sends and reads them. */
final class RoomFrames {
  private RoomFrames() {
  }

  static void send(TestPeer peer, String type, JsonObject payload) {
    peer.send(new JsonObject().put("type", type).put("payload", payload));
  }

  /** Room mates get each other's PRESENCE (docs/rooms-presence.md); these tests look at rooms only. */
  static TestPeer open(io.vertx.core.Vertx vertx, int port, String id) {
    return TestPeer.open(vertx, port, id).ignoring("PRESENCE");
  }

  static TestPeer connect(io.vertx.core.Vertx vertx, int port, String id, String token) {
    return TestPeer.connect(vertx, port, id, token).ignoring("PRESENCE");
  }

  static TestPeer openWhenFree(io.vertx.core.Vertx vertx, int port, String id, String token) {
    return TestPeer.openWhenFree(vertx, port, id, token).ignoring("PRESENCE");
  }

  static JsonObject room(String roomId) {
    return new JsonObject().put("roomId", roomId);
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

  static JsonObject expectError(TestPeer peer, String code) {
    JsonObject error = expect(peer, "ROOM-ERROR");
    assertEquals(code, error.getString("code"), () -> "error " + error);
    assertNotNull(error.getString("msg"));
    return error;
  }

  static void create(TestPeer peer, String roomId, int capacity) {
    send(peer, "ROOM-CREATE", room(roomId).put("capacity", capacity));
    assertEquals(room(roomId).put("capacity", capacity), expect(peer, "ROOM-CREATED"));
  }

  /** Joins and checks ROOM-JOINED with exactly {@code members}, in order. */
  static void join(TestPeer peer, String roomId, int capacity, String... members) {
    send(peer, "ROOM-JOIN", room(roomId));
    assertEquals(room(roomId).put("members", new JsonArray(java.util.List.of(members))).put("capacity", capacity),
        expect(peer, "ROOM-JOINED"));
  }

  static void expectMember(TestPeer peer, String roomId, String member, String event) {
    assertEquals(room(roomId).put("peer", member).put("event", event), expect(peer, "ROOM-MEMBER"));
  }
}
