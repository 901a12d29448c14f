package dev.switchboard.auth;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRING;
import static dev.switchboard.config.Settings.check;

/** How peers prove who they are (none, jwt or session) and how ids relate to users (docs/auth.md). */
public final class AuthSettings {
  /** HS* keys shorter than their hash are weak (RFC 7518 §3.2); HS256 needs 32 bytes. */
  public static final int MIN_JWT_SECRET_BYTES = 32;

  public static final Setting<String> AUTH = Setting.of("auth", STRING).defaultValue("none")
      .help("MODE", "How peers prove who they are: none (PeerServer's rules), jwt or session.")
      .check(v -> List.of("none", "jwt", "session").contains(v), "must be none, jwt or session").build();
  public static final Setting<String> JWT_SECRET = Setting.of("jwt_secret", STRING).secret()
      .help("SECRET", "Shared secret for HS256/384/512 JWTs, at least 32 bytes (env SWITCHBOARD_JWT_SECRET, "
          + "which keeps it out of ps).").build();
  public static final Setting<String> JWT_PUBLIC_KEY = Setting.of("jwt_public_key", STRING)
      .help("FILE", "PEM public key (RSA or EC) for RS*/PS*/ES* JWTs.").build();
  public static final Setting<String> JWT_JWKS_URL = Setting.of("jwt_jwks_url", STRING)
      .help("URL", "JWK set to verify JWTs with; refreshed every 10 minutes and on an unknown kid (at most every 5 s).")
      .build();
  public static final Setting<String> JWT_ISSUER = Setting.of("jwt_issuer", STRING)
      .help("ISS", "Required iss claim of JWTs.").build();
  public static final Setting<String> JWT_AUDIENCE = Setting.of("jwt_audience", STRING)
      .help("AUD", "Required aud claim of JWTs.").build();
  public static final Setting<String> JWT_USER_CLAIM = Setting.of("jwt_user_claim", STRING).defaultValue("sub")
      .help("CLAIM", "JWT claim holding the user id.").build();
  public static final Setting<String> SESSION_URL = Setting.of("session_url", STRING)
      .help("URL", "Session service: GET URL with Authorization: Bearer <token>; 200 with the user id accepts.")
      .build();
  public static final Setting<String> SESSION_USER_FIELD = Setting.of("session_user_field", STRING)
      .defaultValue("userId").help("FIELD", "Field of the session service's JSON answer holding the user id.").build();
  public static final Setting<Long> SESSION_TIMEOUT = Setting.of("session_timeout", LONG).defaultValue(3_000L)
      .help("MS", "Wait this long for the session service, then refuse as unavailable (close 1013).").build();
  public static final Setting<Long> SESSION_CACHE_TTL = Setting.of("session_cache_ttl", LONG).defaultValue(60_000L)
      .help("MS", "Remember an accepted token this long.").build();
  public static final Setting<Long> SESSION_REFUSAL_TTL = Setting.of("session_refusal_ttl", LONG).defaultValue(5_000L)
      .help("MS", "Remember a refused token this long.").build();
  public static final Setting<String> AUTH_COOKIE = Setting.of("auth_cookie", STRING)
      .help("NAME", "Cookie carrying the token; checked before PeerJS's token option.")
      .check(v -> v.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), "must be a cookie name").build();
  public static final Setting<String> ID_POLICY = Setting.of("id_policy", STRING).defaultValue("exact")
      .help("POLICY", "exact: the peer id is the user id; device: the user id or user id plus -suffix/_suffix.")
      .check(v -> List.of("exact", "device").contains(v), "must be exact or device").build();
  /** Unset: takeover with auth on, reject without ({@link #onDuplicate}). */
  public static final Setting<String> ON_DUPLICATE = Setting.of("on_duplicate", STRING)
      .help("POLICY", "reject (ID-TAKEN) or takeover (the same user's newer connection wins). "
          + "Default: takeover with auth, reject without.")
      .check(v -> List.of("reject", "takeover").contains(v), "must be reject or takeover").build();

  public static final List<Setting<?>> ALL = List.of(AUTH, JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_ISSUER,
      JWT_AUDIENCE, JWT_USER_CLAIM, SESSION_URL, SESSION_USER_FIELD, SESSION_TIMEOUT, SESSION_CACHE_TTL,
      SESSION_REFUSAL_TTL, AUTH_COOKIE, ID_POLICY, ON_DUPLICATE);

  // Fail closed: an auth setting without its mode means someone expects a check that would not happen.
  public static final Consumer<SwitchboardOptions> RULES = AuthSettings::checkModes;

  private AuthSettings() {
  }

  /** Whether peers must prove their identity (auth is jwt or session). */
  public static boolean enabled(SwitchboardOptions options) {
    return !"none".equals(options.get(AUTH));
  }

  /** The effective duplicate policy: as set, else takeover with auth on and reject without. */
  public static String onDuplicate(SwitchboardOptions options) {
    String set = options.get(ON_DUPLICATE);
    return set != null ? set : enabled(options) ? "takeover" : "reject";
  }

  private static void checkModes(SwitchboardOptions o) {
    String auth = o.get(AUTH);
    boolean jwt = "jwt".equals(auth);
    for (Setting<String> option : List.of(JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE)) {
      check(jwt || o.get(option) == null, option, "is set but auth is " + auth + ", not jwt");
    }
    check("session".equals(auth) || o.get(SESSION_URL) == null, SESSION_URL, "is set but auth is " + auth + ", not session");
    boolean none = "none".equals(auth);
    check(!none || o.get(AUTH_COOKIE) == null, AUTH_COOKIE, "is set but auth is none");
    check(!none || "exact".equals(o.get(ID_POLICY)), ID_POLICY, "device needs auth jwt or session");
    check(!none || !"takeover".equals(o.get(ON_DUPLICATE)), ON_DUPLICATE,
        "takeover needs auth jwt or session: without it nothing proves the newer connection is the same user");
    if (jwt) {
      checkJwt(o);
    }
    if ("session".equals(auth)) {
      checkSession(o);
    }
  }

  private static void checkJwt(SwitchboardOptions o) {
    String secret = o.get(JWT_SECRET);
    int keySources = (secret != null ? 1 : 0) + (o.get(JWT_PUBLIC_KEY) != null ? 1 : 0)
        + (o.get(JWT_JWKS_URL) != null ? 1 : 0);
    check(keySources == 1, JWT_SECRET, "auth jwt needs exactly one of jwt_secret, jwt_public_key or jwt_jwks_url");
    check(secret == null || secret.getBytes(StandardCharsets.UTF_8).length >= MIN_JWT_SECRET_BYTES, JWT_SECRET,
        "must be at least " + MIN_JWT_SECRET_BYTES + " bytes");
    check(o.get(JWT_JWKS_URL) == null || isHttpUrl(o.get(JWT_JWKS_URL)), JWT_JWKS_URL, "must be an http(s) URL");
    check(o.get(JWT_USER_CLAIM) != null && !o.get(JWT_USER_CLAIM).isEmpty(), JWT_USER_CLAIM, "must not be empty");
  }

  private static void checkSession(SwitchboardOptions o) {
    check(o.get(SESSION_URL) != null && isHttpUrl(o.get(SESSION_URL)), SESSION_URL, "auth session needs an http(s) URL");
    String field = o.get(SESSION_USER_FIELD);
    check(field != null && !field.isEmpty(), SESSION_USER_FIELD, "must not be empty");
    check(o.get(SESSION_TIMEOUT) > 0, SESSION_TIMEOUT, "must be positive");
    check(o.get(SESSION_CACHE_TTL) >= 0, SESSION_CACHE_TTL, "must not be negative");
    check(o.get(SESSION_REFUSAL_TTL) >= 0, SESSION_REFUSAL_TTL, "must not be negative");
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
