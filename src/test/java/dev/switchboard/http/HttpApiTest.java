package dev.switchboard.http;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** PeerServer's HTTP API under a path, with the key checked. */
@ExtendWith(VertxExtension.class)
class HttpApiTest {

  record Reply(int status, String contentType, String body, Map<String, String> headers) {
  }

  // A broker's first answer loads and compiles the web router, the codec and SecureRandom's seeding:
  // on a machine busy with other builds that has taken over 10 s. The test is about the answer, not
  // its speed, so it waits long enough for a starved CPU.
  private static final int REPLY_SECONDS = 60;

  private static Reply get(Vertx vertx, int port, String uri, Map<String, String> headers) {
    return request(vertx, port, HttpMethod.GET, uri, headers);
  }

  private static Reply request(Vertx vertx, int port, HttpMethod method, String uri, Map<String, String> headers) {
    HttpClient client = vertx.createHttpClient();
    try {
      RequestOptions request = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI(uri)
          .setMethod(method);
      headers.forEach(request::addHeader);
      return Await.result(client.request(request).compose(r -> r.send()).compose(response ->
          response.body().map(body -> new Reply(response.statusCode(), response.getHeader("Content-Type"),
              body.toString(), headersOf(response)))), REPLY_SECONDS);
    } finally {
      client.close();
    }
  }

  private static Map<String, String> headersOf(HttpClientResponse response) {
    java.util.HashMap<String, String> map = new java.util.HashMap<>();
    response.headers().forEach(e -> map.put(e.getKey().toLowerCase(), e.getValue()));
    return map;
  }

  private static Reply get(Vertx vertx, int port, String uri) {
    return get(vertx, port, uri, Map.of());
  }

  private static int start(Vertx vertx, SwitchboardOptions options) {
    return Brokers.start(vertx, options).actualPort();
  }

  @Test
  void infoIsPeerServersUnderThePath(Vertx vertx) {
    int port = start(vertx, Brokers.options().setPath("/myapp"));
    for (String uri : List.of("/myapp", "/myapp/")) {
      Reply reply = get(vertx, port, uri);
      assertEquals(200, reply.status());
      assertEquals(new JsonObject().put("name", "PeerJS Server")
          .put("description", "A server side element to broker connections between PeerJS clients.")
          .put("website", "https://peerjs.com/"), new JsonObject(reply.body()));
    }
    assertEquals(404, get(vertx, port, "/").status());
  }

  @Test
  void idIsAFreshUuidAsText(Vertx vertx) {
    int port = start(vertx, Brokers.options().setPath("/myapp"));
    Reply first = get(vertx, port, "/myapp/peerjs/id?ts=123");
    assertEquals(200, first.status());
    assertEquals("text/html; charset=utf-8", first.contentType());
    UUID.fromString(first.body());
    assertNotEquals(first.body(), get(vertx, port, "/myapp/peerjs/id").body());
  }

  @Test
  void aWrongKeyGetsNoIdAndNoPeers(Vertx vertx) {
    int port = start(vertx, Brokers.options().setAllowDiscovery(true));
    assertEquals(401, get(vertx, port, "/WRONGKEY/id").status());
    assertEquals(401, get(vertx, port, "/WRONGKEY/peers").status());
  }

  @Test
  void peersNeedsDiscovery(Vertx vertx) {
    int port = start(vertx, Brokers.options());
    assertEquals(401, get(vertx, port, "/peerjs/peers").status());
  }

  @Test
  void peersListsConnectedIds(Vertx vertx) {
    int port = start(vertx, Brokers.options().setAllowDiscovery(true));
    assertEquals(new JsonArray(), new JsonArray(get(vertx, port, "/peerjs/peers").body()));
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      JsonArray peers = new JsonArray(get(vertx, port, "/peerjs/peers").body());
      assertEquals(Set.of("alice", "bob"), Set.copyOf(peers.getList()));
    }
  }

  // PeerServer 1.0.2 (Express cors, origin: true) echoes whatever Origin arrives, custom schemes included.
  @Test
  void corsReflectsAnyOriginByDefaultWithVary(Vertx vertx) {
    int port = start(vertx, Brokers.options());
    for (String origin : List.of("https://app.example", "capacitor://localhost", "ionic://localhost", "app://.",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop", "null", UUID.randomUUID().toString())) {
      Reply reply = get(vertx, port, "/peerjs/id", Map.of("Origin", origin));
      assertEquals(200, reply.status(), origin);
      assertEquals(origin, reply.headers().get("access-control-allow-origin"), origin);
      assertEquals("Origin", reply.headers().get("vary"), origin);
    }
    assertNull(get(vertx, port, "/peerjs/id").headers().get("access-control-allow-origin"));
  }

  @Test
  void corsListLimitsOriginsWithoutRefusingTheRequest(Vertx vertx) {
    int port = start(vertx, Brokers.options().setCors(List.of("https://app.example", "capacitor://localhost")));
    for (String origin : List.of("https://app.example", "capacitor://localhost")) {
      assertEquals(origin, get(vertx, port, "/peerjs/id", Map.of("Origin", origin)).headers().get("access-control-allow-origin"));
    }
    // As PeerServer: answered, but without the header the browser hides the answer from the page.
    Reply other = get(vertx, port, "/peerjs/id", Map.of("Origin", "https://evil.example"));
    assertEquals(200, other.status());
    assertNull(other.headers().get("access-control-allow-origin"));
    assertEquals("Origin", other.headers().get("vary"));
  }

  @Test
  void preflightsAreAnsweredForAllowedOrigins(Vertx vertx) {
    int port = start(vertx, Brokers.options().setCors(List.of("ionic://localhost")));
    Reply allowed = request(vertx, port, HttpMethod.OPTIONS, "/peerjs/alice/t/id", Map.of("Origin", "ionic://localhost",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization"));
    assertEquals(204, allowed.status());
    assertEquals("ionic://localhost", allowed.headers().get("access-control-allow-origin"));
    assertEquals(CorsPolicy.METHODS, allowed.headers().get("access-control-allow-methods"));
    assertEquals("authorization", allowed.headers().get("access-control-allow-headers"));
    Reply refused = request(vertx, port, HttpMethod.OPTIONS, "/peerjs/id", Map.of("Origin", "https://evil.example",
        "Access-Control-Request-Method", "GET"));
    assertEquals(204, refused.status());
    assertNull(refused.headers().get("access-control-allow-origin"));
    assertNull(refused.headers().get("access-control-allow-methods"));
  }
}
