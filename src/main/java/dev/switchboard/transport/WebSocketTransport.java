package dev.switchboard.transport;

import dev.switchboard.auth.Credentials;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.proxy.ClientInfo;
import dev.switchboard.routing.SignalRouter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import static dev.switchboard.config.ServerSettings.MAX_MESSAGE_SIZE;
import static dev.switchboard.config.ServerSettings.PATH;
import static dev.switchboard.config.ServerSettings.SEND_BUFFER;

/**
 * PeerJS's WebSocket: {@code {path}peerjs?key=K&id=ID&token=T}. Checks the parameters as PeerServer
 * 1.0.2 does (same ERROR texts), then hands the peer to the router.
 */
public final class WebSocketTransport {
  // Flushes to one socket are merged until the end of the current event-loop pass, up to this many.
  private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());
  private static final int MAX_MERGED_FLUSHES = 64;

  private final SignalRouter router;
  private final PeerGate gate;
  private final String endpoint;
  private final PeerChecks checks;
  private final int maxMessageSize;
  private final int sendBuffer;
  private final ConnectionPolicy policy;
  // Cross-thread writes per event loop; Vert.x gives each server instance one loop, so usually one entry.
  private final Map<EventLoop, LoopWrites> loopWrites = new ConcurrentHashMap<>();

  public WebSocketTransport(SignalRouter router, PeerGate gate, SwitchboardOptions options) {
    this(router, gate, options, new ConnectionPolicy(options));
  }

  public WebSocketTransport(SignalRouter router, PeerGate gate, SwitchboardOptions options, ConnectionPolicy policy) {
    this.policy = policy;
    this.router = router;
    this.gate = gate;
    this.endpoint = options.get(PATH) + "peerjs";
    this.checks = new PeerChecks(router, policy, options);
    this.maxMessageSize = options.get(MAX_MESSAGE_SIZE);
    this.sendBuffer = options.get(SEND_BUFFER);
  }

  /**
   * Accepts upgrades to the PeerJS endpoint; anything else is not found. A malformed upgrade gets 400,
   * upgrades from origins not allowed (cross-site WebSocket hijacking) get 403, and 503 while the
   * broker drains.
   */
  public void handshake(ServerWebSocketHandshake handshake) {
    if (!WebSocketKey.isValid(handshake.headers().getAll("Sec-WebSocket-Key"))) {
      LOG.fine(() -> "refused websocket upgrade from " + handshake.remoteAddress()
          + ": Sec-WebSocket-Key is not the base64 of 16 bytes (RFC 6455 4.2.1)");
      handshake.reject(400);
      return;
    }
    if (!endpoint.equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    if (!policy.isAccepting()) {
      String remote = policy.client(handshake.remoteAddress(), handshake.isSsl(), handshake.headers()).address();
      router.refused("websocket", remote, CloseReason.NOT_ACCEPTING);
      handshake.reject(503);
      return;
    }
    String origin = handshake.headers().get("Origin");
    if (!policy.originAllowed(origin)) {
      String remote = policy.client(handshake.remoteAddress(), handshake.isSsl(), handshake.headers()).address();
      policy.logRefusedOrigin("websocket", origin, remote);
      router.refused("websocket", remote, CloseReason.ORIGIN_NOT_ALLOWED);
      handshake.reject(403);
      return;
    }
    handshake.accept();
  }

  /** An accepted WebSocket: check its parameters and admit it. */
  public void connected(ServerWebSocket socket) {
    ClientInfo client = policy.client(socket.remoteAddress(), socket.isSsl(), socket.headers());
    String remote = client.address();
    Map<String, List<String>> query = new QueryStringDecoder(socket.query() == null ? "" : socket.query(), false)
        .parameters();
    String id = first(query, "id");
    String token = first(query, "token");
    CloseReason refusal = checks.refusal("websocket", remote, first(query, "key"), id, token);
    if (refusal != null) {
      socket.writeFrame(VertxInternals.textFrame(refusal.notice()));
      socket.close(refusal.code(), refusal.text());
      return;
    }
    byte[] ipLimit = checks.takeSlot("websocket", remote);
    if (ipLimit != null) {
      socket.writeFrame(VertxInternals.textFrame(ipLimit));
      socket.close(CloseReason.IP_LIMIT.code(), CloseReason.IP_LIMIT.text());
      return;
    }
    Credentials credentials = gate.fromWebSocket(socket.headers(), token);
    // Vert.x did the upgrade; from here on the channel is served by the link's own Netty handler, and
    // Vert.x's WebSocket, request and connection objects are left to the garbage collector.
    ChannelPipeline pipeline = VertxInternals.pipeline(socket);
    Channel channel = pipeline.channel();
    channel.config().setAutoRead(false); // nothing is read before the peer is admitted
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(sendBuffer / 2, sendBuffer));
    LoopWrites writes = loopWrites.computeIfAbsent(channel.eventLoop(), LoopWrites::new);
    WebSocketPeerLink link = new WebSocketPeerLink(channel, writes, VertxInternals.currentContext(), router,
        id, token, remote, maxMessageSize, () -> checks.releaseSlot(remote));
    // Flushes to one socket are merged until the end of the current event-loop pass: a relayed message
    // is written to another peer's socket, and every message would otherwise cost its own write(2).
    VertxInternals.replaceVertxHandler(pipeline, "mergeFlushes", new FlushConsolidationHandler(MAX_MERGED_FLUSHES, true),
        "peer", link.handler());
    if (!channel.isActive()) {
      link.onChannelClosed(); // gone during the upgrade: Vert.x's handler saw the close, the link's will not
      return;
    }
    // The token is checked before anything is read from the peer.
    gate.connect(router, link, credentials).onComplete(admitted -> {
      if (admitted.succeeded() && admitted.result()) {
        channel.config().setAutoRead(true);
      } else if (admitted.failed()) {
        router.failed(link, admitted.cause());
      }
    });
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    return values.get(0);
  }
}
