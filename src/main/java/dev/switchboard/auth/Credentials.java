package dev.switchboard.auth;

import java.util.Objects;

/**
 * A token a client presented and where it was found. The token is a secret: {@link #toString()} shows
 * only its source and length, so a credential can end up in a log line without leaking.
 *
 * @param token the token as presented
 * @param source where it was found
 */
public record Credentials(String token, Source source) {

  /** Where a token can come from. */
  public enum Source {
    /** PeerJS's own {@code token} option: {@code ?token=} on the WebSocket URL. */
    QUERY,
    /** The {@code --auth_cookie} cookie. */
    COOKIE,
    /** {@code Sec-WebSocket-Protocol: access_token, <token>} on the WebSocket upgrade. */
    SUBPROTOCOL,
    /** {@code Authorization: Bearer <token>} on an HTTP request. */
    BEARER,
    /** The token segment of PeerJS 0.x's XHR paths ({@code /{key}/{id}/{token}/...}). */
    PATH
  }

  public Credentials {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return "Credentials[" + source.name().toLowerCase() + ", " + token.length() + " chars]";
  }
}
