package dev.switchboard.http;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.SessionService;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /{key}/id} and {@code /peers} with auth on: the caller's own id, and 401/503 otherwise. */
@ExtendWith(VertxExtension.class)
class HttpAuthTest {

  /** Status and body of one GET. */
  record Answer(int status, String body, String wwwAuthenticate) {
  }

  private static Answer get(Vertx vertx, int port, String uri, String header, String value) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri);
    if (header != null) {
      request.putHeader(header, value);
    }
    try {
      return Await.result(client.request(request).compose(req -> req.send().compose(resp -> resp.body()
          .map(body -> new Answer(resp.statusCode(), body.toString(), resp.getHeader("WWW-Authenticate"))))));
    } finally {
      client.close();
    }
  }

  private static int jwtBroker(Vertx vertx, SwitchboardOptions options) {
    return Brokers.start(vertx, options.setAuth("jwt").setJwtSecret(SECRET).setAuthCookie("sid")).actualPort();
  }

  @Test
  void idAnswersTheCallersUserIdForBearerOrCookie(Vertx vertx) {
    int port = jwtBroker(vertx, Brokers.options());
    String token = Tokens.hs256(SECRET, claims("alice"));
    assertEquals(new Answer(200, "alice", null), get(vertx, port, "/peerjs/id", "Authorization", "Bearer " + token));
    assertEquals(new Answer(200, "alice", null), get(vertx, port, "/peerjs/id", "Cookie", "sid=" + token));
  }

  @Test
  void idWithoutAValidCredentialIs401(Vertx vertx) {
    int port = jwtBroker(vertx, Brokers.options());
    Answer none = get(vertx, port, "/peerjs/id", null, null);
    assertEquals(401, none.status());
    assertEquals("Bearer", none.wwwAuthenticate());
    assertEquals(401, get(vertx, port, "/peerjs/id", "Authorization", "Bearer nonsense").status());
    assertEquals(401, get(vertx, port, "/peerjs/id", "Authorization",
        "Bearer " + Tokens.hs256(SECRET, claims("alice").put("exp", Tokens.now(-60)))).status());
    // The key is still checked first.
    assertEquals(401, get(vertx, port, "/wrong/id", "Authorization", "Bearer " + Tokens.hs256(SECRET, claims("alice"))).status());
  }

  @Test
  void devicePolicyHandsOutAFreshDeviceIdThatTheSameTokenMayOpen(Vertx vertx) {
    int port = jwtBroker(vertx, Brokers.options().setIdPolicy("device"));
    String token = Tokens.hs256(SECRET, claims("alice"));
    String first = get(vertx, port, "/peerjs/id", "Authorization", "Bearer " + token).body();
    String second = get(vertx, port, "/peerjs/id", "Authorization", "Bearer " + token).body();
    assertTrue(first.matches("alice-[a-z0-9]{8}"), first);
    assertNotEquals(first, second);
    try (TestPeer device = TestPeer.connect(vertx, port, first, token)) {
      device.expectType("OPEN");
    }
  }

  @Test
  void peersNeedsAValidCredential(Vertx vertx) {
    int port = jwtBroker(vertx, Brokers.options().setAllowDiscovery(true));
    String token = Tokens.hs256(SECRET, claims("alice"));
    try (TestPeer alice = TestPeer.connect(vertx, port, "alice", token)) {
      alice.expectType("OPEN");
      assertEquals(401, get(vertx, port, "/peerjs/peers", null, null).status());
      assertEquals(401, get(vertx, port, "/peerjs/peers", "Authorization", "Bearer " + Tokens.unsigned(claims("alice"))).status());
      Answer listed = get(vertx, port, "/peerjs/peers", "Authorization", "Bearer " + token);
      assertEquals(200, listed.status());
      assertEquals(new JsonArray().add("alice"), new JsonArray(listed.body()));
    }
  }

  @Test
  void anUnavailableSessionServiceIs503(Vertx vertx) {
    SessionService service = SessionService.start(vertx).user("s-alice", "alice");
    try {
      int port = Brokers.start(vertx, Brokers.options().setAuth("session").setSessionUrl(service.url())).actualPort();
      assertEquals(new Answer(200, "alice", null), get(vertx, port, "/peerjs/id", "Authorization", "Bearer s-alice"));
      service.fail(500);
      assertEquals(503, get(vertx, port, "/peerjs/id", "Authorization", "Bearer s-other").status());
    } finally {
      service.close();
    }
  }

  @Test
  void withoutAuthIdIsStillARandomUuid(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options()).actualPort();
    Answer answer = get(vertx, port, "/peerjs/id", null, null);
    assertEquals(200, answer.status());
    assertTrue(answer.body().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), answer.body());
  }
}
