package dev.switchboard.auth;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.MultiMap;

/**
 * Where a connection's token is read from. The first source present is the one checked, the others
 * are ignored: the sources an application has to opt into (a subprotocol it offers, the configured
 * cookie, an {@code Authorization} header) come before PeerJS's {@code token}, which PeerJS always
 * sends (a random one when the application gave none).
 */
public final class TokenSources {

  /**
   * The subprotocol that marks the next offered one as the token: a page opens
   * {@code new WebSocket(url, ["access_token", token])} and the broker answers with
   * {@code Sec-WebSocket-Protocol: access_token}, never echoing the token.
   */
  public static final String SUBPROTOCOL = "access_token";

  private static final String BEARER = "bearer ";

  private final String cookieName;

  /** @param cookieName the {@code --auth_cookie} name, or {@code null} */
  public TokenSources(String cookieName) {
    this.cookieName = cookieName;
  }

  /** A WebSocket upgrade: subprotocol, then cookie, then PeerJS's {@code ?token=}. */
  public Credentials fromWebSocket(MultiMap headers, String queryToken) {
    Credentials found = subprotocol(headers);
    if (found == null) {
      found = cookie(headers);
    }
    if (found == null && queryToken != null) {
      found = new Credentials(queryToken, Credentials.Source.QUERY);
    }
    return found;
  }

  /** An XHR request of PeerJS 0.x: bearer, then cookie, then the token in the path. */
  public Credentials fromXhr(MultiMap headers, String pathToken) {
    Credentials found = fromHttp(headers);
    if (found == null && pathToken != null && !pathToken.isEmpty()) {
      found = new Credentials(pathToken, Credentials.Source.PATH);
    }
    return found;
  }

  /** A plain HTTP request ({@code /id}, {@code /peers}): bearer, then cookie. */
  public Credentials fromHttp(MultiMap headers) {
    Credentials found = bearer(headers);
    return found != null ? found : cookie(headers);
  }

  private static Credentials bearer(MultiMap headers) {
    String value = headers.get("Authorization");
    if (value == null || value.length() <= BEARER.length()
        || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = value.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : new Credentials(token, Credentials.Source.BEARER);
  }

  private Credentials cookie(MultiMap headers) {
    if (cookieName == null) {
      return null;
    }
    for (String header : headers.getAll("Cookie")) {
      for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
        if (cookieName.equals(cookie.name()) && !cookie.value().isEmpty()) {
          return new Credentials(cookie.value(), Credentials.Source.COOKIE);
        }
      }
    }
    return null;
  }

  private static Credentials subprotocol(MultiMap headers) {
    for (String header : headers.getAll("Sec-WebSocket-Protocol")) {
      String[] offered = header.split(",");
      for (int i = 0; i < offered.length - 1; i++) {
        if (SUBPROTOCOL.equals(offered[i].trim())) {
          String token = offered[i + 1].trim();
          return token.isEmpty() ? null : new Credentials(token, Credentials.Source.SUBPROTOCOL);
        }
      }
    }
    return null;
  }
}
