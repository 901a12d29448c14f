package dev.switchboard.turn;

import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;

import static dev.switchboard.turn.TurnSettings.STUN_URIS;
import static dev.switchboard.turn.TurnSettings.TURN_TTL;
import static dev.switchboard.turn.TurnSettings.TURN_URIS;

/**
 * The answer both ways hand out, shaped as {@code RTCConfiguration.iceServers} plus its lifetime:
 * <pre>{@code {"iceServers":[{"urls":[turn…],"username":"<expiry>:<user>","credential":"…"},{"urls":[stun…]}],
 *  "ttl":3600,"expiresAt":<ms since the epoch>}}</pre>
 * The TURN entry is there only when TURN is configured, the STUN one only when STUN is.
 */
public final class IceServers {
  private final List<String> turnUris;
  private final List<String> stunUris;
  private final TurnCredentials credentials;
  private final long ttlSeconds;
  private final Clock clock;

  IceServers(List<String> turnUris, List<String> stunUris, TurnCredentials credentials, long ttlSeconds, Clock clock) {
    this.turnUris = List.copyOf(turnUris);
    this.stunUris = List.copyOf(stunUris);
    this.credentials = credentials;
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
  }

  /** The servers the (validated) options describe, credentials signed with the first secret. */
  public static IceServers of(SwitchboardOptions options, Clock clock) {
    boolean turn = TurnSettings.turnEnabled(options);
    List<String> stun = options.get(STUN_URIS);
    return new IceServers(turn ? options.get(TURN_URIS) : List.of(), stun == null ? List.of() : stun,
        turn ? new TurnCredentials(TurnSettings.secrets(options)) : null, options.get(TURN_TTL), clock);
  }

  /** Whether any server is configured. */
  public boolean any() {
    return !turnUris.isEmpty() || !stunUris.isEmpty();
  }

  /** Whether TURN servers are configured (their credentials expire and need refreshing). */
  public boolean hasTurn() {
    return !turnUris.isEmpty();
  }

  /** The credential lifetime in seconds. */
  public long ttlSeconds() {
    return ttlSeconds;
  }

  /** The answer for {@code user} (a verified user id, or a peer id), credentials valid for the ttl from now. */
  public JsonObject answerFor(String user) {
    long now = clock.millis();
    long expiresAtSeconds = now / 1000 + ttlSeconds;
    JsonArray servers = new JsonArray();
    if (!turnUris.isEmpty()) {
      TurnCredentials.Credential credential = credentials.issue(user, expiresAtSeconds);
      servers.add(new JsonObject().put("urls", new JsonArray(turnUris))
          .put("username", credential.username()).put("credential", credential.password()));
    }
    if (!stunUris.isEmpty()) {
      servers.add(new JsonObject().put("urls", new JsonArray(stunUris)));
    }
    return new JsonObject().put("iceServers", servers).put("ttl", ttlSeconds).put("expiresAt", expiresAtSeconds * 1000);
  }
}
