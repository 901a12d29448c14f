package dev.switchboard.auth;

import dev.switchboard.config.SwitchboardOptions;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import static dev.switchboard.auth.AuthSettings.JWT_AUDIENCE;
import static dev.switchboard.auth.AuthSettings.JWT_ISSUER;
import static dev.switchboard.auth.AuthSettings.JWT_JWKS_URL;
import static dev.switchboard.auth.AuthSettings.JWT_PUBLIC_KEY;
import static dev.switchboard.auth.AuthSettings.JWT_SECRET;
import static dev.switchboard.auth.AuthSettings.JWT_USER_CLAIM;
import static dev.switchboard.presence.PresenceSettings.JWT_CONTACTS_CLAIM;
import static dev.switchboard.rooms.RoomSettings.JWT_ROOMS_CLAIM;

/**
 * {@code --auth jwt}: verifies a JWT locally with vertx-auth-jwt against a shared secret (HS*), a PEM
 * public key (RS*, PS*, ES*) or a JWK set, checks {@code exp}, {@code nbf}, {@code iss} and {@code aud},
 * and takes the user id from {@code --jwt_user_claim}. Unsigned tokens ({@code alg: none}) are refused
 * before vertx-auth-jwt sees them: it accepts them when it has no keys.
 */
public final class JwtVerifier implements TokenVerifier {

  /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}, in seconds. */
  public static final int LEEWAY_SECONDS = 5;

  /** The keys a verifier checks signatures with: fixed, or a JWK set that is refreshed. */
  interface Keys {
    /** The provider to verify with now. */
    JWTAuth current();

    /**
     * A token names a key we do not have: fetch the key set again if that is allowed now. Completes
     * with {@code null} when no refresh is allowed yet, fails when the key set could not be fetched.
     */
    default Future<JWTAuth> refreshForUnknownKid() {
      return Future.succeededFuture(null);
    }

    default Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  private static final JsonFactory HEADER_PARSERS = new JsonFactory();

  private final Keys keys;
  private final String userClaim;
  private volatile String contactsClaim;
  private volatile String roomsClaim;

  JwtVerifier(Keys keys, String userClaim) {
    this.keys = keys;
    this.userClaim = userClaim;
  }

  // --jwt_contacts_claim: the presence scope's contacts (docs/rooms-presence.md); null reads none.
  private JwtVerifier withContactsClaim(String claim) {
    this.contactsClaim = claim;
    return this;
  }

  // --jwt_rooms_claim: rooms the token's holder may create restricted (docs/rooms-presence.md).
  private JwtVerifier withRoomsClaim(String claim) {
    this.roomsClaim = claim;
    return this;
  }

  /** Builds the verifier the options describe; fails naming the option when a key cannot be loaded. */
  public static Future<TokenVerifier> create(Vertx vertx, SwitchboardOptions options, Clock clock) {
    JWTOptions checks = checks(options);
    try {
      if (options.get(JWT_SECRET) != null) {
        JWTAuth provider = JWTAuth.create(vertx, secretKeys(options.get(JWT_SECRET)).setJWTOptions(checks));
        return Future.succeededFuture(new JwtVerifier(() -> provider, options.get(JWT_USER_CLAIM))
            .withContactsClaim(options.get(JWT_CONTACTS_CLAIM)).withRoomsClaim(options.get(JWT_ROOMS_CLAIM)));
      }
      if (options.get(JWT_PUBLIC_KEY) != null) {
        JWTAuth provider = JWTAuth.create(vertx, publicKeys(options.get(JWT_PUBLIC_KEY)).setJWTOptions(checks));
        return Future.succeededFuture(new JwtVerifier(() -> provider, options.get(JWT_USER_CLAIM))
            .withContactsClaim(options.get(JWT_CONTACTS_CLAIM)).withRoomsClaim(options.get(JWT_ROOMS_CLAIM)));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    JwksKeys jwks = new JwksKeys(vertx, options.get(JWT_JWKS_URL), checks, clock);
    return jwks.start().map(v -> new JwtVerifier(jwks, options.get(JWT_USER_CLAIM))
        .withContactsClaim(options.get(JWT_CONTACTS_CLAIM)).withRoomsClaim(options.get(JWT_ROOMS_CLAIM)));
  }

  static JWTOptions checks(SwitchboardOptions options) {
    JWTOptions checks = new JWTOptions().setLeeway(LEEWAY_SECONDS);
    if (options.get(JWT_ISSUER) != null) {
      checks.setIssuer(options.get(JWT_ISSUER));
    }
    if (options.get(JWT_AUDIENCE) != null) {
      checks.addAudience(options.get(JWT_AUDIENCE));
    }
    return checks;
  }

  private static JWTAuthOptions secretKeys(String secret) {
    JWTAuthOptions keys = new JWTAuthOptions();
    for (String alg : List.of("HS256", "HS384", "HS512")) {
      keys.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(secret));
    }
    return keys;
  }

  // vertx-auth-jwt needs the algorithm of every key: an RSA key serves RS* and PS*, an EC key the ES*
  // of its curve.
  private static JWTAuthOptions publicKeys(String file) {
    String pem;
    try {
      pem = Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid jwt_public_key: cannot read " + file + " (" + e.getMessage() + ")");
    }
    List<String> algorithms;
    try {
      algorithms = algorithmsFor(parsePublicKey(pem));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid jwt_public_key: " + file
          + " holds no RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)");
    }
    JWTAuthOptions keys = new JWTAuthOptions();
    for (String alg : algorithms) {
      keys.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem));
    }
    return keys;
  }

  private static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
    int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
    int end = pem.indexOf("-----END PUBLIC KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("no PUBLIC KEY block");
    }
    String base64 = pem.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }

  private static List<String> algorithmsFor(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      switch (bits) {
        case 256: return List.of("ES256");
        case 384: return List.of("ES384");
        case 521: return List.of("ES512");
        default: throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits");
      }
    }
    return List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
  }

  @Override
  public Future<Identity> verify(Credentials credentials) {
    String token = credentials.token();
    String alg = algorithm(token);
    if (alg == null) {
      return Future.failedFuture(AuthFailure.invalidToken("not a JWT"));
    }
    if ("none".equalsIgnoreCase(alg)) {
      return Future.failedFuture(AuthFailure.invalidToken("unsigned JWT (alg none)"));
    }
    JWTAuth provider = keys.current();
    if (provider == null) {
      return Future.failedFuture(AuthFailure.unavailable("no JWT keys loaded"));
    }
    return authenticate(provider, token)
        .recover(failure -> failure instanceof NoSuchKeyIdException ? retryWithFreshKeys(token, failure) : Future.failedFuture(failure))
        .transform(verified -> verified.succeeded()
            ? identity(verified.result())
            : Future.failedFuture(describe(verified.cause())));
  }

  // OpenID Connect Core §10.1.1: an unfamiliar kid means the issuer rotated its keys; fetch them again.
  private Future<User> retryWithFreshKeys(String token, Throwable unknownKid) {
    return keys.refreshForUnknownKid()
        .recover(fetchFailed -> Future.failedFuture(AuthFailure.unavailable("JWK set could not be fetched")))
        .compose(fresh -> fresh == null ? Future.failedFuture(unknownKid) : authenticate(fresh, token));
  }

  private static Future<User> authenticate(JWTAuth provider, String token) {
    try {
      return provider.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Identity> identity(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    Object value = claims == null ? null : claims.getValue(userClaim);
    String userId = UserIds.of(value);
    if (userId == null) {
      return Future.failedFuture(AuthFailure.invalidToken("JWT has no usable " + userClaim + " claim"));
    }
    java.util.Set<String> contacts = contactsClaim == null ? java.util.Set.of() : UserIds.contacts(claims.getValue(contactsClaim));
    // Only the claims a feature asked for are kept with the peer, not the whole token.
    JsonObject kept = roomsClaim == null || !claims.containsKey(roomsClaim) ? null
        : new JsonObject().put(roomsClaim, claims.getValue(roomsClaim));
    return Future.succeededFuture(new Identity(userId, false, contacts, kept));
  }

  // vertx-auth-jwt's messages could quote parts of the token; logs get a fixed description instead.
  private static AuthFailure describe(Throwable failure) {
    if (failure instanceof AuthFailure known) {
      return known;
    }
    if (failure instanceof NoSuchKeyIdException) {
      return AuthFailure.invalidToken("no key for the JWT's alg/kid");
    }
    if (failure instanceof SignatureException) {
      return AuthFailure.invalidToken("bad JWT signature");
    }
    String message = String.valueOf(failure.getMessage()).toLowerCase();
    if (message.contains("expired")) {
      return AuthFailure.invalidToken("JWT expired or not yet valid");
    }
    if (message.contains("issuer")) {
      return AuthFailure.invalidToken("wrong JWT issuer");
    }
    if (message.contains("audience")) {
      return AuthFailure.invalidToken("wrong JWT audience");
    }
    if (message.contains("iat")) {
      return AuthFailure.invalidToken("JWT issued in the future");
    }
    return AuthFailure.invalidToken("invalid JWT (" + failure.getClass().getSimpleName() + ")");
  }

  /**
   * The {@code alg} of the token's header, or {@code null} when it is not a JWT. Read with Jackson's
   * streaming parser (escapes decoded, duplicate members: the last one, trailing data refused, as a
   * {@link JsonObject} would) instead of building the header's map a second time: vertx-auth-jwt
   * parses it again.
   */
  static String algorithm(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || token.indexOf('.', dot + 1) < 0) {
      return null;
    }
    try (JsonParser header = HEADER_PARSERS.createParser(Base64.getUrlDecoder().decode(token.substring(0, dot)))) {
      if (header.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String alg = null;
      while (header.nextToken() == JsonToken.FIELD_NAME) {
        boolean isAlg = "alg".equals(header.currentName());
        JsonToken value = header.nextToken();
        if (isAlg) {
          alg = value == JsonToken.VALUE_STRING ? header.getText() : null;
        } else {
          header.skipChildren();
        }
      }
      return header.currentToken() == JsonToken.END_OBJECT && header.nextToken() == null ? alg : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public Future<Void> close() {
    return keys.close();
  }
}
