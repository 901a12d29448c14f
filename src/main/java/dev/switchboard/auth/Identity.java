package dev.switchboard.auth;

import io.vertx.core.json.JsonObject;

/**
 * Who a verified token belongs to.
 *
 * @param userId the user id, or {@code null} for {@link #ANONYMOUS} (auth none)
 * @param cached whether the answer came from a cache, not from checking the token now (for metrics)
 * @param claims the verified JWT's claims (features read their own claim from them, e.g.
 *     {@code --jwt_rooms_claim}), or {@code null} when the identity did not come from a JWT
 */
public record Identity(String userId, boolean cached, JsonObject claims) {

  /** Auth none: nobody is verified, PeerServer's rules apply. */
  public static final Identity ANONYMOUS = new Identity(null);

  /** A user whose token was checked just now. */
  public Identity(String userId) {
    this(userId, false, null);
  }

  /** A user without claims, checked now or answered from a cache. */
  public Identity(String userId, boolean cached) {
    this(userId, cached, null);
  }

  public boolean isAnonymous() {
    return userId == null;
  }
}
