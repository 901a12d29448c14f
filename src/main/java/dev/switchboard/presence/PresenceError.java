package dev.switchboard.presence;

/** A refused presence request: its sender gets {@code PRESENCE-ERROR {code, msg}} and stays connected. */
final class PresenceError extends RuntimeException {
  /** A malformed request: no payload object, a bad status, note or user id. */
  static final String INVALID = "invalid";
  /** Over a bound: too many users in one request, or in the watch list. */
  static final String LIMIT = "limit";

  private final String code;

  PresenceError(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  String code() {
    return code;
  }
}
