package dev.switchboard.transport;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.log.OnceLog;
import dev.switchboard.proxy.ClientInfo;
import dev.switchboard.proxy.ForwardedHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.switchboard.transport.EdgeSettings.CORS;
import static dev.switchboard.transport.EdgeSettings.HTTP_IP_LIMIT;
import static dev.switchboard.transport.EdgeSettings.IP_LIMIT;
import static dev.switchboard.transport.EdgeSettings.PROXIED;
import static dev.switchboard.transport.EdgeSettings.TRUSTED_PROXIES;
import static dev.switchboard.transport.EdgeSettings.WS_ORIGINS;

/**
 * What every transport checks at the edge before the routing core sees a connection: who the client
 * really is (behind trusted proxies), whether its origin may open a socket, how many connections its
 * address holds, and whether the broker takes new peers at all (not while draining). One instance is
 * shared by all event loops and transports of a broker.
 */
public final class ConnectionPolicy {
  private static final Logger LOG = Logger.getLogger(ConnectionPolicy.class.getName());
  private final OnceLog refusedOrigins = new OnceLog(LOG, Level.WARNING);
  private final ForwardedHeaders forwarded;
  private final List<String> allowedOrigins;
  private final AddressLimiter perAddress;
  private final AddressLimiter perAddressHttp;
  private volatile boolean accepting = true;

  public ConnectionPolicy(SwitchboardOptions options) {
    this.forwarded = new ForwardedHeaders(options.get(PROXIED), options.get(TRUSTED_PROXIES));
    this.allowedOrigins = options.get(WS_ORIGINS).isEmpty() ? options.get(CORS) : options.get(WS_ORIGINS);
    this.perAddress = new AddressLimiter(options.get(IP_LIMIT));
    this.perAddressHttp = new AddressLimiter(options.get(HTTP_IP_LIMIT));
  }

  /** The client behind a connection: the socket's peer, or what a trusted proxy says it forwarded. */
  public ClientInfo client(SocketAddress remote, boolean tls, MultiMap headers) {
    String address = remote == null ? "unknown" : remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    return forwarded.resolve(address, tls, headers);
  }

  /**
   * Whether a WebSocket may be opened from {@code origin}. Browsers always send Origin; a request without
   * one is not from a browser page and cannot be a cross-site hijack. An empty allow-list allows any.
   */
  public boolean originAllowed(String origin) {
    if (origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains("*")) {
      return true;
    }
    return allowedOrigins.stream().anyMatch(allowed -> allowed.equalsIgnoreCase(origin));
  }

  /**
   * Logs a {@code transport} session refused for its origin: once per origin at WARNING (browsers retry
   * every few seconds), then at FINE.
   */
  public void logRefusedOrigin(String transport, String origin, String remote) {
    refusedOrigins.log(origin, () -> "refused " + transport + " from " + remote + ": origin " + origin
        + " is not allowed (allowed origins come from --ws_origins, else --cors); further refusals of this origin"
        + " are logged at FINE");
  }

  /** The per-address counter ({@code ip_limit}). */
  public AddressLimiter perAddress() {
    return perAddress;
  }

  /**
   * The per-address counter of HTTP connections that are not WebSocket peers ({@code http_ip_limit}),
   * by socket address: it is taken before any header is read.
   */
  public AddressLimiter perAddressHttp() {
    return perAddressHttp;
  }

  /** Whether a socket from {@code address} is a trusted proxy's, which carries many clients' connections. */
  public boolean isTrustedProxy(String address) {
    return forwarded.isTrustedProxy(address);
  }

  /** Whether new peers are taken (false once a graceful shutdown began). */
  public boolean isAccepting() {
    return accepting;
  }

  /** Refuses new peers from now on. */
  public void stopAccepting() {
    accepting = false;
  }
}
