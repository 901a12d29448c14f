package dev.switchboard.calls;

/**
 * A refused call request: the sender gets {@code CALL-ERROR {callId?, code, msg}} and stays connected.
 * The codes are listed in docs/calls.md.
 */
final class CallError extends RuntimeException {
  static final String INVALID = "invalid";
  static final String NOT_FOUND = "not_found";
  static final String FORBIDDEN = "forbidden";
  static final String STATE = "state";
  static final String LIMIT = "limit";
  static final String EXISTS = "exists";

  private final String code;
  private final String callId;

  CallError(String code, String callId, String message) {
    super(message, null, false, false);
    this.code = code;
    this.callId = callId;
  }

  String code() {
    return code;
  }

  String callId() {
    return callId;
  }
}
