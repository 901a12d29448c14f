package dev.switchboard.transport;

import dev.switchboard.auth.Credentials;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.proxy.ClientInfo;
import dev.switchboard.routing.SignalRouter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;

import java.util.List;
import java.util.Map;
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
  private final LoopPlacement placement;

  /** @param placement the broker's event loops, shared by its server instances; this instance's loop is added to it */
  public WebSocketTransport(SignalRouter router, PeerGate gate, SwitchboardOptions options, ConnectionPolicy policy,
                            LoopPlacement placement) {
    this.policy = policy;
    this.placement = placement;
    placement.add();
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
    LoopPlacement.Loop home = placement.choose(channel.eventLoop());
    WebSocketPeerLink link = new WebSocketPeerLink(channel, home.writes(), home.context(), router,
        id, token, remote, maxMessageSize, () -> checks.releaseSlot(remote));
    // Flushes to one socket are merged until the end of the current event-loop pass: a relayed message
    // is written to another peer's socket, and every message would otherwise cost its own write(2).
    VertxInternals.replaceVertxHandler(pipeline, "mergeFlushes", new FlushConsolidationHandler(MAX_MERGED_FLUSHES, true),
        "peer", link.handler());
    if (!channel.isActive()) {
      link.onChannelClosed(); // gone during the upgrade: Vert.x's handler saw the close, the link's will not
      return;
    }
    if (home.eventLoop() == channel.eventLoop()) {
      admit(link, channel, credentials);
      return;
    }
    // Nothing has been read from the peer and nobody can write to it yet: the channel moves to its home
    // loop (LoopPlacement) and is admitted there.
    channel.deregister().addListener(deregistered -> {
      if (!deregistered.isSuccess()) {
        lostInMove(link, channel, deregistered.cause());
        return;
      }
      home.eventLoop().register(channel).addListener(registered -> {
        if (registered.isSuccess()) {
          VertxInternals.dispatch(home.context(), () -> admit(link, channel, credentials));
        } else {
          lostInMove(link, channel, registered.cause());
        }
      });
    });
  }

  // The token is checked before anything is read from the peer.
  private void admit(WebSocketPeerLink link, Channel channel, Credentials credentials) {
    gate.connect(router, link, credentials).onComplete(admitted -> {
      if (admitted.succeeded() && admitted.result()) {
        channel.config().setAutoRead(true);
      } else if (admitted.failed()) {
        router.failed(link, admitted.cause());
      }
    });
  }

  // A loop shutting down refuses the channel: it is closed without its pipeline (which has no loop now).
  private void lostInMove(WebSocketPeerLink link, Channel channel, Throwable cause) {
    LOG.fine(() -> "could not move " + link + " to its event loop: " + cause);
    channel.unsafe().closeForcibly();
    link.onChannelClosed();
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    return values.get(0);
  }
}
