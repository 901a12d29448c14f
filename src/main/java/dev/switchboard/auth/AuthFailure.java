package dev.switchboard.auth;

import dev.switchboard.protocol.CloseReason;

/**
 * Why a credential was not accepted. The message is for logs and never contains the token; the
 * client sees only the {@link #closeReason()}'s fixed text.
 */
public final class AuthFailure extends RuntimeException {

  private final CloseReason closeReason;

  private AuthFailure(CloseReason closeReason, String message) {
    super(message, null, false, false);
    this.closeReason = closeReason;
  }

  /** The token is not valid (missing, malformed, expired, bad signature, refused by the session service). */
  public static AuthFailure invalidToken(String why) {
    return new AuthFailure(CloseReason.INVALID_TOKEN, why);
  }

  /** The token is valid but its user may not use this id. */
  public static AuthFailure idNotAllowed(String why) {
    return new AuthFailure(CloseReason.ID_NOT_ALLOWED, why);
  }

  /** The token could not be checked now; the client should try again later. */
  public static AuthFailure unavailable(String why) {
    return new AuthFailure(CloseReason.AUTH_UNAVAILABLE, why);
  }

  /** What the client is told. */
  public CloseReason closeReason() {
    return closeReason;
  }

  /** Whether trying again later may succeed (the verifier could not answer). */
  public boolean isUnavailable() {
    return closeReason == CloseReason.AUTH_UNAVAILABLE;
  }

  /** The HTTP status for the API: 401 for a bad credential, 503 when it could not be checked. */
  public int httpStatus() {
    return isUnavailable() ? 503 : 401;
  }
}
