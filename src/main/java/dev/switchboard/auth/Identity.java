package dev.switchboard.auth;

/**
 * Who a verified token belongs to.
 *
 * @param userId the user id, or {@code null} for {@link #ANONYMOUS} (auth none)
 * @param cached whether the answer came from a cache, not from checking the token now (for metrics)
 */
public record Identity(String userId, boolean cached) {

  /** Auth none: nobody is verified, PeerServer's rules apply. */
  public static final Identity ANONYMOUS = new Identity(null);

  /** A user whose token was checked just now. */
  public Identity(String userId) {
    this(userId, false);
  }

  public boolean isAnonymous() {
    return userId == null;
  }
}
