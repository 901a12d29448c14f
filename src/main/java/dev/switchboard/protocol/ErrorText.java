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
  /** A text message (or close reason) that is not UTF-8; the WebSocket is then closed with 1007. */
  public static final String INVALID_UTF8 = INVALID_MESSAGE + ": " + InvalidUtf8Exception.REASON;
  public static final String SUPERSEDED = "Connection replaced by a newer connection for this id";
  public static final String TIMED_OUT = "Connection timed out";
  public static final String INTERNAL = "Internal server error";
  /** Sent to every peer on a graceful shutdown (SIGTERM), before close 1012. */
  public static final String RESTARTING = "Server is restarting, please reconnect";
  /** PeerServer 0.x's ip_limit refusal, after the client's address: "1.2.3.4 has reached ...". */
  public static final String IP_LIMIT_SUFFIX = " has reached its concurrent user limit";
  public static final String ORIGIN_NOT_ALLOWED = "Origin not allowed";

  // Identity (auth jwt|session). PeerJS shows these as a "server-error"; they never contain the token.
  /** The token is missing, malformed, expired, wrongly signed or refused by the session service. */
  public static final String INVALID_TOKEN = "Invalid token provided";
  /** The token is valid but its user may not use the requested id (id_policy). */
  public static final String ID_NOT_ALLOWED = "Invalid token provided for this id";
  /** The session service or key set could not be asked; nothing is wrong with the token as far as we know. */
  public static final String AUTH_UNAVAILABLE = "Authentication is unavailable, try again later";
  /** Told to a connection replaced by a newer, verified connection of the same user (on_duplicate takeover). */
  public static final String TAKEN_OVER = "Signed in elsewhere: a newer connection of this user took over this id";

  // Cluster partitions (see docs/cluster.md).
  /** A claim on a node cut off from most of the cluster, which admits nobody new until it heals. */
  public static final String CLUSTER_SPLIT =
      "Cluster split: this server is cut off from most of the cluster and takes no new peers now, try again later";
  /** Told to a connection whose id another server gave away while the cluster was split, once it healed. */
  public static final String CLUSTER_CONFLICT =
      "Signed in elsewhere: this id was taken on another server while the cluster was split (cluster conflict)";

  private ErrorText() {
  }

  /** The admin API banned this user (docs/admin-api.md). */
  public static final String BANNED = "This user is banned";
}
