package dev.switchboard.support;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints JWTs for tests with the JDK alone (javax.crypto, java.security), so the broker's verifier is
 * never checked against its own library's signer. Keys are generated per test.
 */
public final class Tokens {
  /** A 32-byte HS256 secret. */
  public static final String SECRET = "test-secret-test-secret-test-secret-0123";

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Tokens() {
  }

  /** Seconds since the epoch, offset by {@code delta}. */
  public static long now(long delta) {
    return System.currentTimeMillis() / 1000 + delta;
  }

  /** Claims for {@code sub}, expiring in 5 minutes. */
  public static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub).put("iat", now(0)).put("exp", now(300));
  }

  public static String hs256(String secret, JsonObject claims) {
    return sign(new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims, (input) -> hmac("HmacSHA256", secret, input));
  }

  public static String hs(String alg, String secret, JsonObject claims) {
    String mac = "HmacSHA" + alg.substring(2);
    return sign(new JsonObject().put("alg", alg).put("typ", "JWT"), claims, (input) -> hmac(mac, secret, input));
  }

  public static String rs256(KeyPair keys, String kid, JsonObject claims) {
    return sign(header("RS256", kid), claims, input -> signature("SHA256withRSA", keys, input));
  }

  public static String es256(KeyPair keys, String kid, JsonObject claims) {
    // JWS wants the raw r||s form (RFC 7518 §3.4), which the JDK calls P1363.
    return sign(header("ES256", kid), claims, input -> signature("SHA256withECDSAinP1363Format", keys, input));
  }

  /** An unsigned token: {@code alg: none} and an empty signature. */
  public static String unsigned(JsonObject claims) {
    return encode(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + encode(claims) + ".";
  }

  public static KeyPair rsaKeys() {
    return generate("RSA", 2048);
  }

  public static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}). */
  public static String publicPem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public key as a JWK (RFC 7517) with {@code kid}. */
  public static JsonObject jwk(KeyPair keys, String kid) {
    if (keys.getPublic() instanceof RSAPublicKey rsa) {
      return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
          .put("n", unsigned(rsa.getModulus())).put("e", unsigned(rsa.getPublicExponent()));
    }
    ECPublicKey ec = (ECPublicKey) keys.getPublic();
    return new JsonObject().put("kty", "EC").put("kid", kid).put("use", "sig").put("alg", "ES256").put("crv", "P-256")
        .put("x", fixed(ec.getW().getAffineX(), 32)).put("y", fixed(ec.getW().getAffineY(), 32));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return B64URL.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
  }

  private static String fixed(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
    return B64URL.encodeToString(out);
  }

  private static JsonObject header(String alg, String kid) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    return kid == null ? header : header.put("kid", kid);
  }

  private interface Signer {
    byte[] sign(byte[] input) throws GeneralSecurityException;
  }

  private static String sign(JsonObject header, JsonObject claims, Signer signer) {
    String input = encode(header) + "." + encode(claims);
    try {
      return input + "." + B64URL.encodeToString(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String encode(JsonObject json) {
    return B64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(String algorithm, String secret, byte[] input) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
    return mac.doFinal(input);
  }

  private static byte[] signature(String algorithm, KeyPair keys, byte[] input) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm);
    signature.initSign(keys.getPrivate());
    signature.update(input);
    return signature.sign();
  }

  private static KeyPair generate(String algorithm, int size) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(size);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
