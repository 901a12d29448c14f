package dev.switchboard.transport;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.IdRule;
import dev.switchboard.routing.SignalRouter;
import io.netty.buffer.Unpooled;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.http.WebSocketInternal;

import java.util.List;
import java.util.Map;

/**
 * PeerJS's WebSocket: {@code {path}peerjs?key=K&id=ID&token=T}. Checks the parameters as PeerServer
 * 1.0.2 does (same ERROR texts), then hands the peer to the router.
 */
public final class WebSocketTransport {
  // Flushes to one socket are merged until the end of the current event-loop pass, up to this many.
  private static final int MAX_MERGED_FLUSHES = 64;

  private final SignalRouter router;
  private final String endpoint;
  private final String key;
  private final IdRule idRule;
  private final int maxMessageSize;
  private final int sendBuffer;

  public WebSocketTransport(SignalRouter router, SwitchboardOptions options) {
    this.router = router;
    this.endpoint = options.getPath() + "peerjs";
    this.key = options.getKey();
    this.idRule = new IdRule(options.getMaxIdLength());
    this.maxMessageSize = options.getMaxMessageSize();
    this.sendBuffer = options.getSendBuffer();
  }

  /** Accepts upgrades to the PeerJS endpoint; anything else is not found. */
  public void handshake(ServerWebSocketHandshake handshake) {
    if (endpoint.equals(handshake.path())) {
      handshake.accept();
    } else {
      handshake.reject(404);
    }
  }

  /** An accepted WebSocket: check its parameters and admit it. */
  public void connected(ServerWebSocket socket) {
    String remote = String.valueOf(socket.remoteAddress());
    Map<String, List<String>> query = new QueryStringDecoder(socket.query() == null ? "" : socket.query(), false)
        .parameters();
    String id = first(query, "id");
    String token = first(query, "token");
    String clientKey = first(query, "key");
    if (id == null || token == null || clientKey == null) {
      refuse(socket, remote, CloseReason.MISSING_PARAMETERS);
      return;
    }
    if (!key.equals(clientKey)) {
      refuse(socket, remote, CloseReason.INVALID_KEY);
      return;
    }
    if (!idRule.isValid(id)) {
      refuse(socket, remote, CloseReason.INVALID_ID);
      return;
    }
    socket.setWriteQueueMaxSize(sendBuffer);
    mergeFlushes(socket);
    WebSocketPeerLink link = new WebSocketPeerLink(socket, router, id, token, remote, maxMessageSize);
    socket.pause();
    socket.frameHandler(link::onFrame);
    socket.closeHandler(v -> link.onSocketClosed());
    socket.exceptionHandler(failure -> router.failed(link, failure));
    router.connect(link).onComplete(admitted -> {
      if (admitted.succeeded() && admitted.result()) {
        socket.resume();
      } else if (admitted.failed()) {
        router.failed(link, admitted.cause());
      }
    });
  }

  // Vert.x flushes a write at once unless the target socket is itself reading; a relayed message is
  // written to another peer's socket, so every message cost its own write(2). Merging the flushes of
  // one event-loop pass sends all messages relayed to a peer in that pass with one system call.
  // Writes from other event loops already arrive in batches (Vert.x's outbound queue).
  private static void mergeFlushes(ServerWebSocket socket) {
    ((WebSocketInternal) socket).channelHandlerContext().pipeline()
        .addBefore("handler", "mergeFlushes", new FlushConsolidationHandler(MAX_MERGED_FLUSHES, true));
  }

  private void refuse(ServerWebSocket socket, String remote, CloseReason reason) {
    router.refused("websocket", remote, reason);
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(reason.notice()), true));
    socket.close(reason.code(), reason.text());
  }

  // PeerServer treats an empty value as missing ("!id").
  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
      return null;
    }
    return values.get(0);
  }
}
