package dev.switchboard.webhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Standard Webhooks 1.0 signature scheme, against the specification's own test vectors. */
class SigningSecretTest {
  // The vector of the reference libraries: standard-webhooks/standard-webhooks,
  // libraries/javascript/src/webhook.test.ts, test "sign function works" (the same key, id, time, body
  // and expected signature are in the Go, Python, Ruby, PHP and Java libraries' tests).
  private static final String VECTOR_KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TIMESTAMP = 1614265330;
  private static final String VECTOR_BODY = "{\"test\": 2432232314}";
  private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void signsTheSpecificationsTestVector() {
    assertEquals(VECTOR_SIGNATURE, SigningSecret.parse(VECTOR_KEY).sign(VECTOR_ID, VECTOR_TIMESTAMP, bytes(VECTOR_BODY)));
  }

  @Test
  void anyChangeToIdTimestampOrBodyChangesTheSignature() {
    SigningSecret secret = SigningSecret.parse(VECTOR_KEY);
    assertFalse(VECTOR_SIGNATURE.equals(secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJeK", VECTOR_TIMESTAMP, bytes(VECTOR_BODY))));
    assertFalse(VECTOR_SIGNATURE.equals(secret.sign(VECTOR_ID, VECTOR_TIMESTAMP + 1, bytes(VECTOR_BODY))));
    assertFalse(VECTOR_SIGNATURE.equals(secret.sign(VECTOR_ID, VECTOR_TIMESTAMP, bytes("{\"test\":2432232314}"))));
  }

  @Test
  void everySecretSignsSpaceSeparatedForRotation() {
    SigningSecret old = SigningSecret.parse(VECTOR_KEY);
    SigningSecret current = SigningSecret.parse("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
    String header = SigningSecret.header(List.of(current, old), VECTOR_ID, VECTOR_TIMESTAMP, bytes(VECTOR_BODY));
    String[] signatures = header.split(" ");
    assertEquals(2, signatures.length, header);
    assertEquals(VECTOR_SIGNATURE, signatures[1]);
    assertTrue(signatures[0].startsWith("v1,") && !signatures[0].equals(VECTOR_SIGNATURE), header);
  }

  @Test
  void secretsMustBeWhsecBase64Of24To64Bytes() {
    assertNull(SigningSecret.problem(VECTOR_KEY));
    String b64 = java.util.Base64.getEncoder().encodeToString(new byte[64]);
    assertNull(SigningSecret.problem("whsec_" + b64));
    assertEquals("must start with whsec_", SigningSecret.problem("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertEquals("must hold 24 to 64 bytes, not 23",
        SigningSecret.problem("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[23])));
    assertEquals("must hold 24 to 64 bytes, not 65",
        SigningSecret.problem("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[65])));
    assertEquals("must be whsec_ followed by standard base64", SigningSecret.problem("whsec_not*base64!"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("whsec_abc"));
    assertFalse(e.getMessage().contains("abc"), e.getMessage());
    assertFalse(SigningSecret.parse(VECTOR_KEY).toString().contains("MfKQ"));
  }

  @Test
  void idsHaveNoFullStop() {
    for (int i = 0; i < 100; i++) {
      String id = Webhooks.newId();
      assertTrue(id.matches("msg_[A-Za-z0-9_-]{22}"), id);
    }
  }
}
