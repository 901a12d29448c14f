package dev.switchboard.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

/**
 * A Standard Webhooks 1.0 symmetric signing secret ({@code whsec_} + base64 of 24 to 64 random bytes) and
 * the signature it makes: {@code v1,} + base64 of HMAC-SHA256(secret bytes, {@code id.timestamp.body}).
 * {@link #toString()} never shows the secret.
 */
public final class SigningSecret {
  static final String PREFIX = "whsec_";
  static final int MIN_BYTES = 24;
  static final int MAX_BYTES = 64;

  private final SecretKeySpec key;

  private SigningSecret(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** Parses {@code whsec_...}; throws IllegalArgumentException (not naming the secret) when it is not one. */
  public static SigningSecret parse(String text) {
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException("webhook secret " + problem);
    }
    return new SigningSecret(Base64.getDecoder().decode(text.substring(PREFIX.length())));
  }

  /** What is wrong with {@code text} as a secret, or null. */
  static String problem(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      return "must start with " + PREFIX;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return "must be " + PREFIX + " followed by standard base64";
    }
    if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
      return "must hold " + MIN_BYTES + " to " + MAX_BYTES + " bytes, not " + bytes.length;
    }
    return null;
  }

  /** {@code v1,<base64 signature>} of {@code id.timestamp.body}. */
  public String sign(String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is always present", e);
    }
  }

  /** The {@code webhook-signature} header: one signature per secret, space-separated. */
  public static String header(List<SigningSecret> secrets, String id, long timestampSeconds, byte[] body) {
    StringBuilder header = new StringBuilder();
    for (SigningSecret secret : secrets) {
      if (header.length() > 0) {
        header.append(' ');
      }
      header.append(secret.sign(id, timestampSeconds, body));
    }
    return header.toString();
  }

  @Override
  public String toString() {
    return PREFIX + "(secret)";
  }
}
