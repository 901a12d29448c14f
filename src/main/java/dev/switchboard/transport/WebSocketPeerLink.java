package dev.switchboard.transport;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.AbstractPeerLink;
import dev.switchboard.routing.SignalRouter;
import io.netty.channel.Channel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * A peer connected over a WebSocket. Frames are read on the socket's event loop; {@link #send} may be
 * called from any thread (Vert.x hands the write to the socket's event loop).
 */
final class WebSocketPeerLink extends AbstractPeerLink {
  private final ServerWebSocket socket;
  private final Channel channel;
  private final SignalRouter router;
  private final int maxMessageSize;

  // Reassembly of a fragmented message; touched only on the socket's event loop.
  private Buffer fragments;
  private boolean skippingBinary;

  WebSocketPeerLink(ServerWebSocket socket, SignalRouter router, String id, String token, String remoteAddress,
                    int maxMessageSize) {
    super(id, token, remoteAddress, router.clock().millis());
    this.socket = socket;
    this.channel = ((WebSocketInternal) socket).channelHandlerContext().channel();
    this.router = router;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public boolean send(byte[] message) {
    if (isClosed()) {
      return false;
    }
    // Bytes the client has not taken yet, past send_buffer: it reads slower than it is written to.
    // (writeQueueFull() is no measure here: it also flags a brief backlog of writes from other threads.)
    if (!channel.isWritable()) {
      router.end(this, CloseReason.SLOW_CONSUMER);
      return false;
    }
    socket.writeFrame(TextFrames.of(message));
    return true;
  }

  @Override
  protected void doClose(CloseReason reason) {
    if (reason.notice() != null) {
      socket.writeFrame(TextFrames.of(reason.notice()));
    }
    socket.close(reason.code(), reason.text());
  }

  /** The transport closed (either side). */
  void onSocketClosed() {
    markClosed();
    router.disconnected(this, CloseReason.CLIENT_CLOSED);
  }

  void onFrame(WebSocketFrame frame) {
    try {
      if (frame.isText()) {
        skippingBinary = false;
        if (frame.isFinal()) {
          onMessage(frame.binaryData());
        } else {
          fragments = appendChecked(null, frame.binaryData());
        }
      } else if (frame.isContinuation()) {
        if (skippingBinary || fragments == null) {
          return;
        }
        fragments = appendChecked(fragments, frame.binaryData());
        if (fragments != null && frame.isFinal()) {
          Buffer whole = fragments;
          fragments = null;
          onMessage(whole);
        }
      } else if (frame.isBinary()) {
        skippingBinary = !frame.isFinal();
        router.touch(this);
        router.reject(this, "binary frames are not supported; send JSON text");
      }
    } catch (RuntimeException e) {
      router.failed(this, e);
    }
  }

  private Buffer appendChecked(Buffer sofar, Buffer more) {
    int length = (sofar == null ? 0 : sofar.length()) + more.length();
    if (length > maxMessageSize) {
      tooBig();
      return null;
    }
    return sofar == null ? Buffer.buffer(Math.min(length * 2, maxMessageSize)).appendBuffer(more) : sofar.appendBuffer(more);
  }

  private void onMessage(Buffer data) {
    if (data.length() > maxMessageSize) {
      tooBig();
      return;
    }
    router.receive(this, data.getBytes());
  }

  private void tooBig() {
    fragments = null;
    router.frameTooBig(this);
  }
}
