package dev.switchboard.transport;

import java.util.Base64;
import java.util.List;

/** RFC 6455 §4.2.1: an opening handshake has one {@code Sec-WebSocket-Key}, the base64 of 16 bytes. */
final class WebSocketKey {
  private static final int KEY_BYTES = 16;
  // 16 bytes are 22 base64 characters and "==".
  private static final int KEY_CHARS = 24;

  private WebSocketKey() {
  }

  /** Whether {@code values} (every {@code Sec-WebSocket-Key} header of the request) is one valid key. */
  static boolean isValid(List<String> values) {
    if (values.size() != 1) {
      return false;
    }
    String key = values.get(0).trim();
    if (key.length() != KEY_CHARS) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == KEY_BYTES;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }
}
