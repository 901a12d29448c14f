package dev.switchboard.calls;

import dev.switchboard.support.TestPeer;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Call frames on a {@link TestPeer}, as the client add-on sends and reads them. */
public final class CallFrames {
  private CallFrames() {
  }

  public static void send(TestPeer peer, String type, JsonObject payload) {
    peer.send(new JsonObject().put("type", type).put("payload", payload));
  }

  /** The next frame's payload, checked to be of {@code type}, with a payload object and no connectionId. */
  public static JsonObject expect(TestPeer peer, String type) {
    JsonObject frame = peer.expectType(type);
    JsonObject payload = frame.getJsonObject("payload");
    assertNotNull(payload, () -> "no payload in " + frame);
    assertFalse(payload.containsKey("connectionId"), () -> "connectionId in " + frame);
    assertEquals(2, frame.size(), () -> "only type and payload expected in " + frame);
    return payload;
  }

  public static void expectEnded(TestPeer peer, String callId, String reason) {
    JsonObject ended = expect(peer, "CALL-ENDED");
    assertEquals(callId, ended.getString("callId"));
    assertEquals(reason, ended.getString("reason"), () -> "ended " + ended);
  }

  public static JsonObject expectError(TestPeer peer, String code) {
    JsonObject error = expect(peer, "CALL-ERROR");
    assertEquals(code, error.getString("code"), () -> "error " + error);
    assertNotNull(error.getString("msg"));
    return error;
  }

  public static JsonObject invite(String to) {
    return new JsonObject().put("to", to);
  }

  public static JsonObject id(String callId) {
    return new JsonObject().put("callId", callId);
  }
}
