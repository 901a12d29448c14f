package dev.switchboard.auth;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Who a verified token belongs to.
 *
 * @param userId the user id, or {@code null} for {@link #ANONYMOUS} (auth none)
 * @param cached whether the answer came from a cache, not from checking the token now (for metrics)
 * @param contacts the users whose presence this user may see, as the token (or session) lists them
 *     ({@code --jwt_contacts_claim}, {@code --session_contacts_field}); empty when none are configured
 * @param claims the verified JWT's claims that features asked to keep ({@code --jwt_rooms_claim}), or
 *     {@code null} when none were asked for or the identity did not come from a JWT; never the whole token
 */
public record Identity(String userId, boolean cached, Set<String> contacts, JsonObject claims) {

  /** Auth none: nobody is verified, PeerServer's rules apply. */
  public static final Identity ANONYMOUS = new Identity(null);

  public Identity {
    contacts = contacts == null ? Set.of() : Set.copyOf(contacts);
  }

  /** A user whose token was checked just now. */
  public Identity(String userId) {
    this(userId, false, Set.of(), null);
  }

  /** A user without contacts or claims, checked now or answered from a cache. */
  public Identity(String userId, boolean cached) {
    this(userId, cached, Set.of(), null);
  }

  /** A user with contacts and no claims. */
  public Identity(String userId, boolean cached, Set<String> contacts) {
    this(userId, cached, contacts, null);
  }

  public boolean isAnonymous() {
    return userId == null;
  }
}
