package dev.switchboard.transport;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * The broker's way into Vert.x internals for the HTTP server's Netty channels: the pipeline of an
 * HTTP/1.x connection (to add handlers before Vert.x's own, as vertx-mqtt does) and of an upgraded
 * WebSocket (to take the connection over), and the Vert.x context frames are handled in. Vert.x has
 * no public API for these; {@code VertxChannelsTest} fails when a Vert.x upgrade moves them.
 */
final class VertxChannels {
  /** Vert.x's HTTP/1.x request decoder in a server pipeline. */
  static final String HTTP_DECODER = "httpDecoder";
  /** Vert.x's HTTP/1.x response encoder in a server pipeline. */
  static final String HTTP_ENCODER = "httpEncoder";
  /** Vert.x's connection handler, the last of a server pipeline. */
  static final String VERTX_HANDLER = "handler";

  private VertxChannels() {
  }

  /**
   * The pipeline of an HTTP/1.x server connection, as the server's connection handler sees it (before
   * any byte was decoded); null for an HTTP/2 connection (h2c with prior knowledge), which has no
   * HTTP/1.x decoder to guard.
   */
  static ChannelPipeline http1Pipeline(HttpConnection connection) {
    if (!(connection instanceof io.vertx.core.http.impl.Http1xServerConnection http1)) {
      return null;
    }
    ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
    return pipeline.get(HTTP_DECODER) != null && pipeline.get(HTTP_ENCODER) != null ? pipeline : null;
  }

  /** The pipeline of an accepted WebSocket's connection. */
  static ChannelPipeline pipeline(ServerWebSocket socket) {
    return ((WebSocketInternal) socket).channelHandlerContext().pipeline();
  }

  /** The current Vert.x context, as the internal type that can dispatch events from a Netty handler. */
  static ContextInternal currentContext() {
    return (ContextInternal) Vertx.currentContext();
  }
}
