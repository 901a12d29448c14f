package dev.switchboard.auth;

/**
 * Who a verified token belongs to.
 *
 * @param userId the user id, or {@code null} for {@link #ANONYMOUS} (auth none)
 */
public record Identity(String userId) {

  /** Auth none: nobody is verified, PeerServer's rules apply. */
  public static final Identity ANONYMOUS = new Identity(null);

  public boolean isAnonymous() {
    return userId == null;
  }
}
