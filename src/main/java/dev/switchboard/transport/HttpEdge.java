package dev.switchboard.transport;

import dev.switchboard.config.SwitchboardOptions;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import static dev.switchboard.transport.EdgeSettings.HTTP_IP_LIMIT;

/**
 * The HTTP server's connection handler: before a connection's first byte is decoded it takes a slot of
 * {@code http_ip_limit} for the socket's address (given back at the upgrade to a WebSocket, which
 * {@code ip_limit} then counts, or at the close) and puts an {@link HttpConnectionGuard} around Vert.x's
 * HTTP/1.x codec. Connections from trusted proxies ({@code --proxied}) carry many clients and are not
 * counted. One instance per broker; its methods run on the connections' event loops.
 */
public final class HttpEdge {
  private static final Logger LOG = Logger.getLogger(HttpEdge.class.getName());

  private final ConnectionPolicy policy;
  private final EdgeTimeouts timeouts;
  private final int httpIpLimit;

  public HttpEdge(SwitchboardOptions options, ConnectionPolicy policy) {
    this.policy = policy;
    this.timeouts = EdgeTimeouts.of(options);
    this.httpIpLimit = options.get(HTTP_IP_LIMIT);
  }

  /** For {@code HttpServer.connectionHandler}: admits (or closes) a new connection and guards it. */
  public void connected(HttpConnection connection) {
    ChannelPipeline pipeline = VertxInternals.http1Pipeline(connection);
    if (pipeline == null) {
      return; // HTTP/2 (with --h2c): no HTTP/1.x codec to guard
    }
    String address = address(connection.remoteAddress());
    boolean counted = !policy.isTrustedProxy(address);
    if (counted && !policy.perAddressHttp().tryAcquire(address)) {
      LOG.fine(() -> "refused http connection from " + address + ": it has " + httpIpLimit
          + " HTTP connections open (http_ip_limit)");
      pipeline.channel().close();
      return;
    }
    AtomicBoolean slot = new AtomicBoolean(counted);
    Runnable release = () -> {
      if (slot.compareAndSet(true, false)) {
        policy.perAddressHttp().release(address);
      }
    };
    new HttpConnectionGuard(pipeline.channel(), timeouts, address, release).install(pipeline);
  }

  private static String address(SocketAddress remote) {
    if (remote == null) {
      return "unknown";
    }
    return remote.hostAddress() != null ? remote.hostAddress() : remote.host();
  }
}
