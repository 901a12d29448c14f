package dev.switchboard;

import dev.switchboard.metrics.MetricsSettings;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.auth.TokenSources;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.http.HttpApi;
import dev.switchboard.http.OperationsApi;
import dev.switchboard.http.RouterFailures;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.tls.CertificateReloader;
import dev.switchboard.transport.ConnectionPolicy;
import dev.switchboard.transport.HttpEdge;
import dev.switchboard.transport.LoopPlacement;
import dev.switchboard.transport.WebSocketTransport;
import dev.switchboard.transport.xhr.XhrTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;

import java.util.function.Consumer;

import static dev.switchboard.transport.EdgeSettings.H2C;
import static dev.switchboard.metrics.MetricsSettings.METRICS_PORT;
import static dev.switchboard.config.ServerSettings.MAX_MESSAGE_SIZE;
import static dev.switchboard.tls.TlsSettings.SSLCERT;
import static dev.switchboard.tls.TlsSettings.SSLKEY;

/**
 * One event loop's share of the broker: an HTTP server for the API and the WebSocket endpoint. Several
 * instances listen on the same port and Vert.x spreads connections over them; they share the router.
 */
final class BrokerVerticle extends VerticleBase {
  private final SignalRouter router;
  private final PeerGate gate;
  private final SwitchboardOptions options;
  private final SocketAddress address;
  private final ConnectionPolicy policy;
  private final OperationsApi operations;
  private final HttpApi.VisiblePeers visiblePeers;
  private final Consumer<Router> featureRoutes;
  private final LoopPlacement placement;
  private HttpServer server;

  BrokerVerticle(SignalRouter router, PeerGate gate, SwitchboardOptions options, SocketAddress address,
                 ConnectionPolicy policy, OperationsApi operations, HttpApi.VisiblePeers visiblePeers, Consumer<Router> featureRoutes,
                 LoopPlacement placement) {
    this.placement = placement;
    this.visiblePeers = visiblePeers;
    this.router = router;
    this.gate = gate;
    this.options = options;
    this.address = address;
    this.policy = policy;
    this.operations = operations;
    this.featureRoutes = featureRoutes;
  }

  @Override
  public Future<?> start() {
    WebSocketTransport webSocket = new WebSocketTransport(router, gate, options, policy, placement);
    Router routes = new HttpApi(router, gate, options, visiblePeers).routes(vertx);
    featureRoutes.accept(routes); // GET {path}{key}/ice (turn)
    new XhrTransport(vertx, router, gate, options, policy).mount(routes);
    // /health, /ready (and /metrics unless it has its own port) at the root, not under --path
    operations.mount(routes, options.get(METRICS_PORT) == MetricsSettings.SAME_PORT);
    operations.countResponses(routes);
    RouterFailures.install(routes);
    HttpEdge edge = new HttpEdge(options, policy);
    server = vertx.createHttpServer(serverOptions())
        .connectionHandler(edge::connected)
        .requestHandler(routes)
        .webSocketHandshakeHandler(webSocket::handshake)
        .webSocketHandler(webSocket::connected);
    return server.listen(address);
  }

  int actualPort() {
    return server.actualPort();
  }

  HttpServer server() {
    return server;
  }

  private HttpServerOptions serverOptions() {
    // The decoder refuses frames far over the limit before reading them; frames a little over it
    // reach the transport, which tells the client (ERROR) before closing with 1009.
    int decoderLimit = Math.max(4 * options.get(MAX_MESSAGE_SIZE), 1024 * 1024);
    HttpServerOptions http = new HttpServerOptions()
        .setMaxWebSocketFrameSize(decoderLimit)
        .setMaxWebSocketMessageSize(decoderLimit)
        .setTcpNoDelay(true)
        // h2c (upgrade and prior knowledge) bypasses the HTTP/1.x guard (HttpEdge); off unless --h2c.
        .setHttp2ClearTextEnabled(options.get(H2C))
        // A page offering ["access_token", token] gets "access_token" back, never the token.
        .addWebSocketSubProtocol(TokenSources.SUBPROTOCOL)

        // Browsers offer permessage-deflate; Vert.x accepts it by default, which gives every peer a
        // zlib inflater and deflater (tens of KiB of native memory each) and compresses every relayed
        // message. Signalling is small and relayed once: PeerServer (ws) does not compress either.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Not strict: it would save nothing now that WebSocket peers leave Vert.x after the upgrade
        // (WebSocketTransport), and it requires every HTTP response and close to be issued on its
        // connection's loop, which cluster takeovers and drains of XHR peers do not.
        .setStrictThreadMode(false);
    if (options.get(SSLKEY) != null) {
      http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setKeyPath(options.get(SSLKEY))
          .setCertPath(options.get(SSLCERT)))
          .setEnabledSecureTransportProtocols(CertificateReloader.PROTOCOLS);
    }
    return http;
  }
}
