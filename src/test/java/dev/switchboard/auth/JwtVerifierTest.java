package dev.switchboard.auth;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.support.Await;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static dev.switchboard.support.Tokens.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --auth jwt} with a secret or a PEM key: what is accepted, and every way a token is refused. */
@ExtendWith(VertxExtension.class)
class JwtVerifierTest {

  private static SwitchboardOptions jwt() {
    return new SwitchboardOptions().setAuth("jwt");
  }

  private static TokenVerifier verifier(Vertx vertx, SwitchboardOptions options) {
    return Await.result(JwtVerifier.create(vertx, options.validate(), Clock.systemUTC()));
  }

  private static String userOf(TokenVerifier verifier, String token) {
    return Await.result(verifier.verify(new Credentials(token, Credentials.Source.QUERY))).userId();
  }

  private static AuthFailure refusal(TokenVerifier verifier, String token) {
    AuthFailure failure = assertThrows(AuthFailure.class, () -> userOf(verifier, token));
    assertEquals(CloseReason.INVALID_TOKEN, failure.closeReason(), failure.getMessage());
    return failure;
  }

  @Test
  void hmacTokensOfEachSizeAreAccepted(Vertx vertx) {
    TokenVerifier verifier = verifier(vertx, jwt().setJwtSecret(SECRET));
    assertEquals("alice", userOf(verifier, Tokens.hs256(SECRET, claims("alice"))));
    assertEquals("bob", userOf(verifier, Tokens.hs("HS384", SECRET, claims("bob"))));
    assertEquals("carol", userOf(verifier, Tokens.hs("HS512", SECRET, claims("carol"))));
  }

  @Test
  void onlyTheRoomsClaimOfTheTokenComesWithTheUserAndOnlyWhenAsked(Vertx vertx) {
    io.vertx.core.json.JsonObject rooms = new io.vertx.core.json.JsonObject().put("team", new io.vertx.core.json.JsonArray().add("bob"));
    Credentials token = new Credentials(Tokens.hs256(SECRET, claims("alice").put("rooms", rooms).put("email", "a@x")),
        Credentials.Source.QUERY);
    TokenVerifier asked = verifier(vertx, jwt().setJwtSecret(SECRET).set(dev.switchboard.rooms.RoomSettings.JWT_ROOMS_CLAIM, "rooms"));
    assertEquals(new io.vertx.core.json.JsonObject().put("rooms", rooms), Await.result(asked.verify(token)).claims());
    TokenVerifier notAsked = verifier(vertx, jwt().setJwtSecret(SECRET));
    assertEquals(null, Await.result(notAsked.verify(token)).claims());
  }

  @Test
  void rsaAndEcPublicKeysFromPemAreAccepted(Vertx vertx, @TempDir Path dir) throws Exception {
    KeyPair rsa = Tokens.rsaKeys();
    Path rsaPem = Files.writeString(dir.resolve("rsa.pem"), Tokens.publicPem(rsa));
    TokenVerifier rsaVerifier = verifier(vertx, jwt().setJwtPublicKey(rsaPem.toString()));
    assertEquals("alice", userOf(rsaVerifier, Tokens.rs256(rsa, null, claims("alice"))));

    KeyPair ec = Tokens.ecKeys();
    Path ecPem = Files.writeString(dir.resolve("ec.pem"), Tokens.publicPem(ec));
    TokenVerifier ecVerifier = verifier(vertx, jwt().setJwtPublicKey(ecPem.toString()));
    assertEquals("bob", userOf(ecVerifier, Tokens.es256(ec, null, claims("bob"))));

    // Another key pair of the same kind is a bad signature.
    refusal(rsaVerifier, Tokens.rs256(Tokens.rsaKeys(), null, claims("alice")));
    refusal(ecVerifier, Tokens.es256(Tokens.ecKeys(), null, claims("bob")));
  }

  @Test
  void anHmacTokenIsNotCheckedAgainstAPublicKey(Vertx vertx, @TempDir Path dir) throws Exception {
    // The classic confusion: the public key used as an HMAC secret.
    KeyPair rsa = Tokens.rsaKeys();
    String pem = Tokens.publicPem(rsa);
    Path file = Files.writeString(dir.resolve("rsa.pem"), pem);
    TokenVerifier verifier = verifier(vertx, jwt().setJwtPublicKey(file.toString()));
    refusal(verifier, Tokens.hs256(pem, claims("alice")));
  }

  @Test
  void expiredAndNotYetValidTokensAreRefused(Vertx vertx) {
    TokenVerifier verifier = verifier(vertx, jwt().setJwtSecret(SECRET));
    refusal(verifier, Tokens.hs256(SECRET, claims("alice").put("exp", now(-60))));
    refusal(verifier, Tokens.hs256(SECRET, claims("alice").put("nbf", now(600))));
    // Within the leeway both still pass.
    assertEquals("alice", userOf(verifier, Tokens.hs256(SECRET, claims("alice").put("exp", now(-2)))));
  }

  @Test
  void wrongIssuerOrAudienceIsRefused(Vertx vertx) {
    TokenVerifier verifier = verifier(vertx, jwt().setJwtSecret(SECRET).setJwtIssuer("https://id.example")
        .setJwtAudience("switchboard"));
    JsonObject good = claims("alice").put("iss", "https://id.example").put("aud", "switchboard");
    assertEquals("alice", userOf(verifier, Tokens.hs256(SECRET, good)));
    refusal(verifier, Tokens.hs256(SECRET, good.copy().put("iss", "https://evil.example")));
    refusal(verifier, Tokens.hs256(SECRET, good.copy().put("aud", "another-app")));
    refusal(verifier, Tokens.hs256(SECRET, claims("alice").put("aud", "switchboard")));
  }

  @Test
  void badSignaturesAndUnsignedTokensAreRefused(Vertx vertx) {
    TokenVerifier verifier = verifier(vertx, jwt().setJwtSecret(SECRET));
    refusal(verifier, Tokens.hs256("another-secret-another-secret-0123456", claims("alice")));
    String good = Tokens.hs256(SECRET, claims("alice"));
    String[] parts = good.split("\\.");
    String otherPayload = Tokens.hs256(SECRET, claims("mallory")).split("\\.")[1];
    refusal(verifier, parts[0] + "." + otherPayload + "." + parts[2]);
    assertTrue(refusal(verifier, Tokens.unsigned(claims("alice"))).getMessage().contains("alg none"));
    refusal(verifier, parts[0] + "." + parts[1] + ".");
    refusal(verifier, "not-a-jwt");
    refusal(verifier, "a.b.c");
  }

  @Test
  void unsignedTokensAreRefusedHoweverTheHeaderSpellsNone(Vertx vertx) {
    TokenVerifier verifier = verifier(vertx, jwt().setJwtSecret(SECRET));
    String payload = Tokens.hs256(SECRET, claims("alice")).split("\\.")[1];
    for (String header : new String[] {"{\"alg\":\"NONE\"}", "{\"alg\":\"non\\u0065\"}",
        "{\"alg\":\"HS256\",\"alg\":\"none\"}"}) {
      String token = base64Url(header) + "." + payload + ".";
      assertTrue(refusal(verifier, token).getMessage().contains("alg none"), header);
    }
  }

  @Test
  void theAlgorithmIsReadFromTheHeaderAsJsonObjectWouldReadIt() {
    String[][] cases = {
        {"{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "HS256"},
        {"{\"typ\":\"JWT\",\"kid\":{\"alg\":\"none\"},\"x\":[1,{\"alg\":\"none\"}],\"alg\":\"ES256\"}", "ES256"},
        {"{\"alg\":\"non\\u0065\"}", "none"},
        {"{\"alg\":\"none\",\"alg\":\"HS256\"}", "HS256"},
        {"{\"alg\":5}", null},
        {"{\"typ\":\"JWT\"}", null},
        {"[\"alg\",\"none\"]", null},
        {"{\"alg\":\"HS256\"} {}", null},
        {"{\"alg\":\"HS256\"", null},
        {"", null},
    };
    for (String[] c : cases) {
      String token = base64Url(c[0]) + ".e30.sig";
      assertEquals(c[1], JwtVerifier.algorithm(token), c[0]);
      Object reference;
      try {
        reference = new JsonObject(c[0]).getValue("alg");
      } catch (RuntimeException notAnObject) {
        reference = null;
      }
      assertEquals(reference instanceof String ? reference : null, JwtVerifier.algorithm(token), "as JsonObject: " + c[0]);
    }
    assertEquals(null, JwtVerifier.algorithm("%%%.e30.sig"));
    assertEquals(null, JwtVerifier.algorithm(base64Url("{\"alg\":\"HS256\"}") + ".e30"));
  }

  private static String base64Url(String json) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theUserComesFromTheConfiguredClaim(Vertx vertx) {
    TokenVerifier verifier = verifier(vertx, jwt().setJwtSecret(SECRET).setJwtUserClaim("uid"));
    assertEquals("u42", userOf(verifier, Tokens.hs256(SECRET, claims("ignored").put("uid", "u42"))));
    assertEquals("42", userOf(verifier, Tokens.hs256(SECRET, claims("ignored").put("uid", 42))));
    refusal(verifier, Tokens.hs256(SECRET, claims("alice")));
    refusal(verifier, Tokens.hs256(SECRET, claims("alice").put("uid", "")));
    refusal(verifier, Tokens.hs256(SECRET, claims("alice").put("uid", new JsonObject())));
  }

  @Test
  void anUnreadableOrWrongKeyFileFailsStartNamingTheOption(Vertx vertx, @TempDir Path dir) throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> verifier(vertx, jwt().setJwtPublicKey(dir.resolve("absent.pem").toString())));
    assertTrue(missing.getMessage().startsWith("Invalid jwt_public_key"), missing.getMessage());
    Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> verifier(vertx, jwt().setJwtPublicKey(junk.toString())));
    assertTrue(wrong.getMessage().startsWith("Invalid jwt_public_key"), wrong.getMessage());
  }
}
