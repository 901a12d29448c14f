package dev.switchboard.protocol;

/**
 * Texts of the ERROR messages the broker sends. Those PeerServer 1.0.2 also sends are kept word for
 * word, because PeerJS shows {@code payload.msg} to users and applications match on it.
 */
public final class ErrorText {
  /** PeerServer 1.0.2: a WebSocket without id, token or key. */
  public static final String MISSING_PARAMETERS = "No id, token, or key supplied to websocket server";
  /** PeerServer 1.0.2: the key does not match the configured one. */
  public static final String INVALID_KEY = "Invalid key provided";
  /** PeerServer 1.0.2: {@code concurrent_limit} reached. */
  public static final String CONCURRENT_LIMIT = "Server has reached its concurrent user limit";
  /** PeerServer 1.0.2: the payload text of ID-TAKEN. */
  public static final String ID_TAKEN = "ID is taken";

  public static final String INVALID_ID = "Invalid id provided";
  public static final String MESSAGE_TOO_BIG = "Message too big";
  public static final String INVALID_MESSAGE = "Invalid message";
  public static final String SUPERSEDED = "Connection replaced by a newer connection for this id";
  public static final String TIMED_OUT = "Connection timed out";
  public static final String INTERNAL = "Internal server error";
  /** Sent to every peer on a graceful shutdown (SIGTERM), before close 1012. */
  public static final String RESTARTING = "Server is restarting, please reconnect";
  /** PeerServer 0.x's ip_limit refusal, after the client's address: "1.2.3.4 has reached ...". */
  public static final String IP_LIMIT_SUFFIX = " has reached its concurrent user limit";
  public static final String ORIGIN_NOT_ALLOWED = "Origin not allowed";

  private ErrorText() {
  }
}
