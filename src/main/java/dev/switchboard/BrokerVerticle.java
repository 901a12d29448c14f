package dev.switchboard;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.http.HttpApi;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.transport.WebSocketTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * One event loop's share of the broker: an HTTP server for the API and the WebSocket endpoint. Several
 * instances listen on the same port and Vert.x spreads connections over them; they share the router.
 */
final class BrokerVerticle extends VerticleBase {
  private final SignalRouter router;
  private final SwitchboardOptions options;
  private final int port;
  private HttpServer server;

  BrokerVerticle(SignalRouter router, SwitchboardOptions options, int port) {
    this.router = router;
    this.options = options;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    WebSocketTransport webSocket = new WebSocketTransport(router, options);
    server = vertx.createHttpServer(serverOptions())
        .requestHandler(new HttpApi(router, options).routes(vertx))
        .webSocketHandshakeHandler(webSocket::handshake)
        .webSocketHandler(webSocket::connected);
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  private HttpServerOptions serverOptions() {
    // The decoder refuses frames far over the limit before reading them; frames a little over it
    // reach the transport, which tells the client (ERROR) before closing with 1009.
    int decoderLimit = Math.max(4 * options.getMaxMessageSize(), 1024 * 1024);
    HttpServerOptions http = new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(port)
        .setMaxWebSocketFrameSize(decoderLimit)
        .setMaxWebSocketMessageSize(decoderLimit)
        .setTcpNoDelay(true)
        // Browsers offer permessage-deflate; Vert.x accepts it by default, which gives every peer a
        // zlib inflater and deflater (tens of KiB of native memory each) and compresses every relayed
        // message. Signalling is small and relayed once: PeerServer (ws) does not compress either.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Every connection starts as HTTP and that connection object lives as long as its WebSocket.
        // Outside strict mode it carries a cross-thread write queue whose first chunk alone is 4 KiB,
        // per peer, never used after the upgrade. Strict mode makes it a direct queue: HTTP responses
        // must then be written on their connection's event loop (as HttpApi does; the WebSocket keeps
        // its own cross-thread queue, so relaying from other event loops is unaffected).
        .setStrictThreadMode(true);
    if (options.getSslKey() != null) {
      http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setKeyPath(options.getSslKey())
          .setCertPath(options.getSslCert()));
    }
    return http;
  }
}
