package dev.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Auth options fail closed: every half-configured setup stops startup with a message naming the option. */
class AuthOptionsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private static String failure(SwitchboardOptions options) {
    return assertThrows(IllegalArgumentException.class, options::validate).getMessage();
  }

  @Test
  void authSettingsWithoutTheirModeFail() {
    assertEquals("Invalid jwt_secret: is set but auth is none, not jwt", failure(new SwitchboardOptions().setJwtSecret(SECRET)));
    assertEquals("Invalid session_url: is set but auth is jwt, not session",
        failure(new SwitchboardOptions().setAuth("jwt").setJwtSecret(SECRET).setSessionUrl("http://s/")));
    assertEquals("Invalid auth_cookie: is set but auth is none", failure(new SwitchboardOptions().setAuthCookie("sid")));
    assertEquals("Invalid id_policy: device needs auth jwt or session", failure(new SwitchboardOptions().setIdPolicy("device")));
    assertEquals("Invalid on_duplicate: takeover needs auth jwt or session: without it nothing proves the newer "
        + "connection is the same user", failure(new SwitchboardOptions().setOnDuplicate("takeover")));
  }

  @Test
  void eachModeNeedsItsSource() {
    assertEquals("Invalid auth: must be none, jwt or session", failure(new SwitchboardOptions().setAuth("ldap")));
    assertEquals("Invalid jwt_secret: auth jwt needs exactly one of jwt_secret, jwt_public_key or jwt_jwks_url",
        failure(new SwitchboardOptions().setAuth("jwt")));
    assertEquals("Invalid jwt_secret: auth jwt needs exactly one of jwt_secret, jwt_public_key or jwt_jwks_url",
        failure(new SwitchboardOptions().setAuth("jwt").setJwtSecret(SECRET).setJwtPublicKey("k.pem")));
    assertEquals("Invalid jwt_secret: must be at least 32 bytes", failure(new SwitchboardOptions().setAuth("jwt").setJwtSecret("short")));
    assertEquals("Invalid jwt_jwks_url: must be an http(s) URL",
        failure(new SwitchboardOptions().setAuth("jwt").setJwtJwksUrl("file:///etc/keys")));
    assertEquals("Invalid session_url: auth session needs an http(s) URL", failure(new SwitchboardOptions().setAuth("session")));
    assertEquals("Invalid session_timeout: must be positive",
        failure(new SwitchboardOptions().setAuth("session").setSessionUrl("http://s/").setSessionTimeout(0)));
  }

  @Test
  void duplicatePolicyDefaultsToTakeoverOnlyWithAuth() {
    assertEquals("reject", new SwitchboardOptions().validate().getOnDuplicate());
    assertEquals("takeover", new SwitchboardOptions().setAuth("jwt").setJwtSecret(SECRET).validate().getOnDuplicate());
    assertEquals("reject", new SwitchboardOptions().setAuth("jwt").setJwtSecret(SECRET).setOnDuplicate("reject").validate().getOnDuplicate());
  }

  @Test
  void flagsReachTheOptionsAndJsonRoundTrips() {
    SwitchboardOptions options = flags("--auth", "session", "--session_url", "http://127.0.0.1:8080/me",
        "--session_timeout", "1500", "--session_cache_ttl", "30000", "--auth_cookie", "sid", "--id_policy", "device",
        "--on_duplicate", "reject", "--session_user_field", "uid");
    assertEquals("session", options.getAuth());
    assertEquals(1500, options.getSessionTimeout());
    assertEquals(30_000, options.getSessionCacheTtl());
    assertEquals((long) dev.switchboard.auth.AuthSettings.SESSION_REFUSAL_TTL.defaultValue(), options.getSessionRefusalTtl());
    assertEquals("sid", options.getAuthCookie());
    assertEquals("uid", options.getSessionUserField());
    assertEquals("device", options.getIdPolicy());
    assertEquals("reject", options.getOnDuplicate());
    assertEquals(options.toJson(), new SwitchboardOptions(options.toJson()).toJson());
  }

  @Test
  void withoutFlagsAuthIsOffAndNoSecretIsSet() {
    SwitchboardOptions options = flags();
    assertEquals("none", options.getAuth());
    assertEquals(null, options.getJwtSecret());
  }

  @Test
  void toStringLeavesTheSecretOut() {
    SwitchboardOptions options = new SwitchboardOptions().setAuth("jwt").setJwtSecret(SECRET);
    assertFalse(options.toString().contains(SECRET), options.toString());
    assertEquals(SECRET, new SwitchboardOptions(new JsonObject(options.toJson().encode())).getJwtSecret());
  }

  private static SwitchboardOptions flags(String... args) {
    java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
    return CommandLineParser.parse(args, java.util.Map.of(), sink, sink);
  }
}
