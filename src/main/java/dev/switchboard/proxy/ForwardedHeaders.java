package dev.switchboard.proxy;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Works out the real client behind reverse proxies from {@code Forwarded} (RFC 7239) or
 * {@code X-Forwarded-For} / {@code X-Forwarded-Proto}. Headers are believed only when the peer that
 * sent them is a trusted proxy; the address chain is walked from the nearest hop back, and the first
 * address that is not itself a trusted proxy is the client. Anyone can write these headers, so an
 * untrusted sender's are ignored entirely.
 */
public final class ForwardedHeaders {
  private final boolean proxied;
  private final List<AddressRange> trusted;

  /**
   * @param proxied whether the broker runs behind a proxy at all ({@code --proxied})
   * @param trustedProxies addresses or CIDR ranges of the proxies ({@code --trusted_proxies})
   */
  public ForwardedHeaders(boolean proxied, List<String> trustedProxies) {
    this.proxied = proxied;
    this.trusted = trustedProxies.stream().map(AddressRange::parse).toList();
  }

  /** Whether {@code peerAddress} is a proxy whose forwarding headers are believed (only with {@code proxied}). */
  public boolean isTrustedProxy(String peerAddress) {
    return proxied && isTrusted(peerAddress);
  }

  /**
   * The client of a request.
   *
   * @param peerAddress the address of the socket's other end (the proxy, when there is one)
   * @param tls whether that socket uses TLS
   * @param headers the request headers
   */
  public ClientInfo resolve(String peerAddress, boolean tls, MultiMap headers) {
    ClientInfo direct = new ClientInfo(peerAddress, tls);
    if (!proxied || !isTrusted(peerAddress)) {
      return direct;
    }
    List<String> chain = new ArrayList<>();
    String proto = null;
    List<String> forwarded = headers.getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      for (String header : forwarded) {
        for (String element : header.split(",")) {
          String forValue = parameter(element, "for");
          if (forValue != null) {
            chain.add(nodeAddress(forValue));
          }
          String protoValue = parameter(element, "proto");
          if (protoValue != null) {
            proto = protoValue;
          }
        }
      }
    } else {
      for (String header : headers.getAll("X-Forwarded-For")) {
        for (String hop : header.split(",")) {
          if (!hop.isBlank()) {
            chain.add(hop.trim());
          }
        }
      }
      String xProto = headers.get("X-Forwarded-Proto");
      if (xProto != null) {
        String[] protos = xProto.split(",");
        proto = protos[0].trim();
      }
    }
    String client = peerAddress;
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = chain.get(i);
      if (AddressRange.literal(hop) == null) {
        break; // "unknown", an obfuscated identifier or garbage: stop at the last hop we can name
      }
      client = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    boolean secure = proto == null ? tls : proto.trim().toLowerCase(Locale.ROOT).matches("https|wss");
    return new ClientInfo(client, secure);
  }

  private boolean isTrusted(String address) {
    for (AddressRange range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static String parameter(String element, String name) {
    for (String pair : element.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String value = pair.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  // RFC 7239 node: IPv4, "[IPv6]" or either with ":port".
  private static String nodeAddress(String node) {
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end > 0 ? node.substring(1, end) : node;
    }
    int colon = node.indexOf(':');
    return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }
}
