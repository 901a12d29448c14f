package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A frame a client sent, checked and decoded just far enough to route it: the JSON text itself is kept
 * as it came, so relaying it costs one copy and no re-encoding.
 *
 * @param json the frame's bytes (UTF-8 JSON object)
 * @param type PeerServer's message type, {@code null} for any other type (see {@code typeName})
 * @param typeName the {@code type} field as written
 * @param dst the {@code dst} field, {@code null} when absent or JSON null (types other than PeerServer's
 *     need not have one)
 * @param closingBrace index in {@code json} of the object's closing brace
 * @param hasMembers whether the object has at least one member
 * @param hasSrc whether the client wrote a {@code src} field itself
 */
public record ClientFrame(byte[] json, MessageType type, String typeName, String dst, int closingBrace,
                          boolean hasMembers, boolean hasSrc) {

  /**
   * The {@code payload} member when it is a JSON object, else {@code null}. Parsed on each call, never on
   * the relay path: only a handler that reads the payload pays for it.
   */
  public JsonObject payload() {
    return FrameCodec.payload(this);
  }

  /**
   * The string members {@code names} of the {@code payload} object, in that order ({@code null} for one
   * absent or not a string), or {@code null} without a payload object: for a handler that needs a few
   * fields of a large payload, read in one pass without building it.
   */
  public String[] payloadStrings(String... names) {
    return FrameCodec.payloadStrings(this, names);
  }
}
