package dev.switchboard.turn;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * coturn's TURN REST credentials ({@code use-auth-secret}, draft-uberti-behave-turn-rest): the username
 * is {@code <expiry in unix seconds>:<user>}, the password base64(HMAC-SHA1(secret, username)). coturn
 * recomputes the password with each of its {@code static-auth-secret}s and refuses a username whose
 * expiry has passed; this side signs with the first secret only, so adding a secret in second place is
 * harmless until it is moved first (docs/turn.md, rotation).
 */
public final class TurnCredentials {
  /** coturn's default {@code rest-api-separator}. */
  public static final char SEPARATOR = ':';
  private static final String HMAC_SHA1 = "HmacSHA1";

  private final byte[] signingSecret;

  /** @param secrets the secrets, signing one first (the rest are only coturn's business) */
  public TurnCredentials(List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no TURN secret");
    }
    this.signingSecret = secrets.get(0).getBytes(StandardCharsets.UTF_8);
  }

  /** A username and password for {@code user}, valid until {@code expiresAtSeconds}. */
  public record Credential(String username, String password, long expiresAtSeconds) {
    @Override
    public String toString() {
      return "Credential[" + username + ", password hidden]";
    }
  }

  /** Signs a credential for {@code user} that coturn accepts until {@code expiresAtSeconds} (unix time). */
  public Credential issue(String user, long expiresAtSeconds) {
    Objects.requireNonNull(user, "user");
    String username = expiresAtSeconds + String.valueOf(SEPARATOR) + user;
    return new Credential(username, password(signingSecret, username), expiresAtSeconds);
  }

  /** base64(HMAC-SHA1(secret, username)), as coturn computes it. */
  public static String password(String secret, String username) {
    return password(secret.getBytes(StandardCharsets.UTF_8), username);
  }

  private static String password(byte[] secret, String username) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA1);
      mac.init(new SecretKeySpec(secret, HMAC_SHA1));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is missing from this JVM", e); // every JVM has it
    }
  }
}
