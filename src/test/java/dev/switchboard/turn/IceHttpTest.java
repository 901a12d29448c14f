package dev.switchboard.turn;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET {path}{key}/ice}: who gets credentials, from which token sources, and what the answer holds. */
@ExtendWith(VertxExtension.class)
class IceHttpTest {
  static final String TURN_SECRET = "turn-secret-0123456789";
  static final List<String> TURN = List.of("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp");
  static final List<String> STUN = List.of("stun:127.0.0.1:3478");
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static SwitchboardOptions withTurn(SwitchboardOptions options) {
    return options.set(TurnSettings.TURN_URIS, TURN).set(TurnSettings.STUN_URIS, STUN)
        .set(TurnSettings.TURN_SECRET, List.of(TURN_SECRET, "older-secret-0123456789")).set(TurnSettings.TURN_TTL, 600L);
  }

  static SwitchboardOptions jwt() {
    return withTurn(Brokers.options().setAuth("jwt").setJwtSecret(SECRET).setAuthCookie("session"));
  }

  @Test
  void aVerifiedUserGetsItsOwnShortLivedCredentialFromEveryTokenSource(Vertx vertx) throws Exception {
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    Switchboard broker = Await.result(Switchboard.start(vertx, jwt(), metrics));
    String token = Tokens.hs256(SECRET, claims("alice"));
    for (HttpRequest.Builder request : List.of(
        get(broker, "/peerjs/ice").header("Authorization", "Bearer " + token),
        get(broker, "/peerjs/ice").header("Cookie", "session=" + token),
        get(broker, "/peerjs/ice?token=" + token))) {
      long before = System.currentTimeMillis() / 1000;
      HttpResponse<String> response = send(request);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      checkAnswer(new JsonObject(response.body()), "alice", before, 600);
    }
    assertEquals(3.0, issued(metrics, "http"));
    assertEquals(0.0, issued(metrics, "push"));
    assertFalse(metrics.registry().getMeters().stream().anyMatch(m -> m.getId().getTags().stream()
        .anyMatch(t -> t.getValue().contains("alice"))), "a user id in a metric label");
  }

  @Test
  void withoutAValidTokenOrKeyTheAnswerIsAJsonRefusal(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, jwt());
    HttpResponse<String> none = send(get(broker, "/peerjs/ice"));
    assertEquals(401, none.statusCode());
    assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals("invalid_token", new JsonObject(none.body()).getString("error"));
    HttpResponse<String> forged = send(get(broker, "/peerjs/ice")
        .header("Authorization", "Bearer " + Tokens.hs256("another-secret-another-secret-0123", claims("alice"))));
    assertEquals(401, forged.statusCode());
    assertFalse(forged.body().contains("iceServers"), forged.body());
    HttpResponse<String> wrongKey = send(get(broker, "/wrong/ice")
        .header("Authorization", "Bearer " + Tokens.hs256(SECRET, claims("alice"))));
    assertEquals(401, wrongKey.statusCode());
    assertEquals("invalid_key", new JsonObject(wrongKey.body()).getString("error"));
  }

  @Test
  void anonymousCallersAreRefusedUnlessAllowed(Vertx vertx) throws Exception {
    Switchboard closed = Brokers.start(vertx, withTurn(Brokers.options()));
    HttpResponse<String> refused = send(get(closed, "/peerjs/ice?id=alice"));
    assertEquals(403, refused.statusCode());
    assertEquals("anonymous_not_allowed", new JsonObject(refused.body()).getString("error"));

    Switchboard open = Brokers.start(vertx, withTurn(Brokers.options()).set(TurnSettings.TURN_ALLOW_ANONYMOUS, true));
    long before = System.currentTimeMillis() / 1000;
    HttpResponse<String> given = send(get(open, "/peerjs/ice?id=alice"));
    assertEquals(200, given.statusCode(), given.body());
    checkAnswer(new JsonObject(given.body()), "alice", before, 600);
    String anonymous = new JsonObject(send(get(open, "/peerjs/ice")).body())
        .getJsonArray("iceServers").getJsonObject(0).getString("username");
    assertTrue(anonymous.matches("[0-9]+:anonymous-[0-9a-f]{16}"), anonymous);
    assertEquals(400, send(get(open, "/peerjs/ice?id=" + "bad%20id%20")).statusCode());
  }

  @Test
  void withoutTurnOrStunThereIsNoRoute(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    assertEquals(404, send(get(broker, "/peerjs/ice")).statusCode());
  }

  @Test
  void stunAloneNeedsNoCredentialAndIsNotCountedAsOne(Vertx vertx) throws Exception {
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options().set(TurnSettings.STUN_URIS, STUN), metrics));
    JsonObject answer = new JsonObject(send(get(broker, "/peerjs/ice")).body());
    assertEquals(new JsonArray().add(new JsonObject().put("urls", new JsonArray(STUN))), answer.getJsonArray("iceServers"));
    assertEquals(0.0, issued(metrics, "http"));
  }

  /** Checks an answer: TURN entry first with {@code <expiry>:<user>} signed by the first secret, then STUN. */
  static void checkAnswer(JsonObject answer, String user, long issuedAfterSeconds, long ttl) {
    JsonArray servers = answer.getJsonArray("iceServers");
    assertEquals(2, servers.size(), answer.encode());
    JsonObject turn = servers.getJsonObject(0);
    assertEquals(new JsonArray(TURN), turn.getJsonArray("urls"));
    String username = turn.getString("username");
    long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
    assertEquals(user, username.substring(username.indexOf(':') + 1));
    assertTrue(expiry >= issuedAfterSeconds + ttl && expiry <= System.currentTimeMillis() / 1000 + ttl, username);
    assertEquals(TurnCredentials.password(TURN_SECRET, username), turn.getString("credential"));
    assertEquals(new JsonObject().put("urls", new JsonArray(STUN)), servers.getJsonObject(1));
    assertEquals(ttl, answer.getLong("ttl"));
    assertEquals(expiry * 1000, answer.getLong("expiresAt"));
  }

  static double issued(SwitchboardMetrics metrics, String way) {
    return metrics.registry().get("switchboard.turn.credentials.issued").tag("way", way).counter().count();
  }

  private static HttpRequest.Builder get(Switchboard broker, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.actualPort() + path)).timeout(Duration.ofSeconds(5));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
