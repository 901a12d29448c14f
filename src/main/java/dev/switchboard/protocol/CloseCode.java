package dev.switchboard.protocol;

/**
 * WebSocket close codes the broker uses, so a client can tell the cases apart beside the ERROR text.
 * PeerServer closes without a code in every case.
 */
public final class CloseCode {
  /** RFC 6455: normal closure (a LEAVE without dst, or the client's own close). */
  public static final short NORMAL = 1000;
  /** RFC 6455: server going away (shutdown). */
  public static final short GOING_AWAY = 1001;
  /** RFC 6455: protocol error (a malformed WebSocket frame). */
  public static final short PROTOCOL_ERROR = 1002;
  /** RFC 6455: unsupported data (a binary frame). */
  public static final short UNSUPPORTED_DATA = 1003;
  /** RFC 6455: invalid frame payload data (a text message or close reason that is not UTF-8). */
  public static final short INVALID_PAYLOAD = 1007;
  /** RFC 6455: policy violation (missing parameters, wrong key, invalid id, id taken, invalid token). */
  public static final short POLICY = 1008;
  /** RFC 6455: message too big. */
  public static final short TOO_BIG = 1009;
  /** RFC 6455: internal error. */
  public static final short INTERNAL = 1011;
  /** RFC 6455: try again later (server full, authentication unavailable). */
  public static final short TRY_AGAIN = 1013;
  /** RFC 6455 (IANA registry): service restart; the client may reconnect (graceful shutdown). */
  public static final short SERVICE_RESTART = 1012;
  /** Application range: another connection took over this id (same token, or same user with auth on). */
  public static final short SUPERSEDED = 4000;
  /** Application range: nothing received for {@code alive_timeout}. */
  public static final short TIMED_OUT = 4001;

  private CloseCode() {
  }
}
