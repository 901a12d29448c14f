package dev.switchboard.protocol;

/**
 * Why the broker refuses or ends a peer's connection: the notice the client gets first (ERROR text as
 * PeerJS shows it, or none) and the WebSocket close code. Transports without close codes (XHR) use the
 * notice alone.
 */
public enum CloseReason {
  MISSING_PARAMETERS(CloseCode.POLICY, ErrorText.MISSING_PARAMETERS),
  INVALID_KEY(CloseCode.POLICY, ErrorText.INVALID_KEY),
  INVALID_ID(CloseCode.POLICY, ErrorText.INVALID_ID),
  ID_TAKEN(CloseCode.POLICY, ErrorText.ID_TAKEN, FrameCodec.idTaken()),
  CONCURRENT_LIMIT(CloseCode.TRY_AGAIN, ErrorText.CONCURRENT_LIMIT),
  MESSAGE_TOO_BIG(CloseCode.TOO_BIG, ErrorText.MESSAGE_TOO_BIG),
  /** A text message or close reason that is not UTF-8 (RFC 6455 8.1); nothing of it is relayed. */
  INVALID_UTF8(CloseCode.INVALID_PAYLOAD, ErrorText.INVALID_UTF8),
  SUPERSEDED(CloseCode.SUPERSEDED, ErrorText.SUPERSEDED),
  /** Quietly: a peer that sends nothing is not listening either (PeerServer closes without a word). */
  TIMED_OUT(CloseCode.TIMED_OUT, ErrorText.TIMED_OUT, null),
  /** The client asked to leave (LEAVE without dst). */
  LEFT(CloseCode.NORMAL, "Left", null),
  /** The receiving side cannot keep up: its unsent messages exceed the send buffer. */
  SLOW_CONSUMER(CloseCode.TRY_AGAIN, "Too many unsent messages: the connection is too slow", null),
  SHUTDOWN(CloseCode.GOING_AWAY, "Server is shutting down"),
  INTERNAL_ERROR(CloseCode.INTERNAL, ErrorText.INTERNAL),
  /** The client closed the connection itself. */
  CLIENT_CLOSED(CloseCode.NORMAL, "Closed by client", null),
  /** Graceful shutdown (SIGTERM): PeerJS shows the ERROR; 1012 tells other clients to reconnect. */
  RESTART(CloseCode.SERVICE_RESTART, ErrorText.RESTARTING),
  /** The upgrade came from an origin not allowed (cross-site WebSocket hijacking); refused with HTTP 403. */
  ORIGIN_NOT_ALLOWED(CloseCode.POLICY, ErrorText.ORIGIN_NOT_ALLOWED, null),
  /** Too many peers from one client address ({@code ip_limit}); the notice names the address, as PeerServer 0.x. */
  IP_LIMIT(CloseCode.TRY_AGAIN, "Address" + ErrorText.IP_LIMIT_SUFFIX, null),
  /** The server is draining and takes no new peers; refused with HTTP 503. */
  NOT_ACCEPTING(CloseCode.TRY_AGAIN, "Server is not accepting connections", null),
  /** The token could not be verified (auth jwt|session). */
  INVALID_TOKEN(CloseCode.POLICY, ErrorText.INVALID_TOKEN),
  /** The verified user may not use the requested id (id_policy). */
  ID_NOT_ALLOWED(CloseCode.POLICY, ErrorText.ID_NOT_ALLOWED),
  /** The token could not be checked now (session service down or slow): try again later. */
  AUTH_UNAVAILABLE(CloseCode.TRY_AGAIN, ErrorText.AUTH_UNAVAILABLE),
  /** A newer verified connection of the same user took over the id. */
  TAKEN_OVER(CloseCode.SUPERSEDED, ErrorText.TAKEN_OVER),
  /** A malformed WebSocket frame (RFC 6455 protocol error); the frame decoder has already closed with 1002. */
  PROTOCOL_ERROR(CloseCode.PROTOCOL_ERROR, "WebSocket protocol error", null),
  /** This node of a cluster does not hold the quorum (split brain): no new claims, try again later. */
  CLUSTER_SPLIT(CloseCode.TRY_AGAIN, ErrorText.CLUSTER_SPLIT),
  /** After a split healed, the merged registry gave this connection's id to a claim made elsewhere. */
  CLUSTER_CONFLICT(CloseCode.SUPERSEDED, ErrorText.CLUSTER_CONFLICT),
  /** The application banned the peer's user (admin API); its connections are refused and ended. */
  BANNED(CloseCode.POLICY, ErrorText.BANNED),
  /** The application removed the peer (admin API); the ERROR with its chosen text was sent just before. */
  KICKED(CloseCode.POLICY, "Removed by the application", null);

  private final short code;
  private final String text;
  private final byte[] notice;

  CloseReason(short code, String text) {
    this(code, text, FrameCodec.error(text));
  }

  CloseReason(short code, String text, byte[] notice) {
    this.code = code;
    this.text = text;
    this.notice = notice;
  }

  /** WebSocket close code. */
  public short code() {
    return code;
  }

  /** Human-readable reason, also the close frame's reason text. */
  public String text() {
    return text;
  }

  /** The message the client gets before the close, or {@code null} for none. */
  public byte[] notice() {
    return notice;
  }
}
