package dev.switchboard.transport;

import io.netty.buffer.Unpooled;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * Text frames straight from encoded JSON bytes. Vert.x's public API makes text frames only from
 * Strings, which would decode and re-encode every relayed message; this wraps the bytes as they are.
 */
final class TextFrames {
  private TextFrames() {
  }

  static WebSocketFrame of(byte[] utf8Json) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8Json), true);
  }
}
