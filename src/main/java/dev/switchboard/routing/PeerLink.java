package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;

/**
 * One connected peer as the routing core sees it, whatever carries it (WebSocket, XHR stream).
 * Every method may be called from any thread.
 */
public interface PeerLink {

  /** The peer id. */
  String id();

  /** The token the client connected with; compared, never logged. */
  String token();

  /** The user the connection's credentials were verified for, or {@code null} without auth. */
  default String userId() {
    return null;
  }

  /**
   * The users whose presence the verified user may see, from its token or session (presence scope;
   * docs/rooms-presence.md); empty without auth or when none are configured.
   */
  default java.util.Set<String> contacts() {
    return java.util.Set.of();
  }

  /**
   * The claims of the verified JWT that features asked to keep ({@code --jwt_rooms_claim}; read-only:
   * never change it), or {@code null} without auth jwt or when none was asked for.
   */
  default io.vertx.core.json.JsonObject claims() {
    return null;
  }

  /** The transport's name, for logs and metrics ({@code websocket}, {@code xhr}). */
  String transport();

  /** The client's address, for logs. */
  String remoteAddress();

  /** {@code "src":"<id>"} as JSON bytes, made once per peer for the relay path. */
  byte[] srcMember();

  /**
   * Sends one encoded message (a JSON object).
   *
   * @return {@code false} when the link is closed and the message was not taken
   */
  boolean send(byte[] message);

  /** Sends the reason's notice (if any) and closes. Only the first call has an effect. */
  void close(CloseReason reason);

  /** Whether {@link #close} was called or the transport went away. */
  boolean isClosed();

  /** When a frame was last received from the client, by the router's clock (ms). */
  long lastSeen();

  /** Records that a frame was received. */
  void touch(long now);

  /** Whether queued messages were handed over and the link may take messages directly. */
  boolean isReady();

  /** Marks the link ready, after OPEN and queued messages were sent. */
  void markReady();

  /**
   * Whether {@code replacement}, a connection of the same client that the takeover rule let replace
   * this link, continues the session this link opened, so the client already has OPEN and must not get
   * another. PeerJS 0.3.x opens an XHR stream and a WebSocket at once and fires {@code open} for every
   * OPEN it reads; PeerServer 0.2.10 sent OPEN once per id. Default {@code false}.
   */
  default boolean sessionContinuesIn(PeerLink replacement) {
    return false;
  }
}
