package dev.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.support.BrokerProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of PeerServer 1.0.2's {@code __test__/peerjs.spec.ts} ("Check bin/peerjs"), against the
 * packaged jar started with PeerServer's own command lines: the info JSON at the root, the request's
 * Origin echoed by default, and {@code --cors} limiting it (origins there are random UUIDs: any string
 * is an origin to PeerServer). Also the yargs array form {@code --cors a b} PeerServer users write.
 */
class PeerServerCliIT {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** PeerServer 1.0.2's app.json, which its CLI serves at the root. */
  private static final JsonObject APP_JSON = new JsonObject()
      .put("name", "PeerJS Server")
      .put("description", "A server side element to broker connections between PeerJS clients.")
      .put("website", "https://peerjs.com/");

  private static HttpResponse<String> get(int port, String path, String origin) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String allowedOrigin(int port, String origin) throws Exception {
    HttpResponse<String> response = get(port, "/peerjs/id", origin);
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("access-control-allow-origin").orElse(null);
  }

  @Test
  void servesTheContentOfAppJson() throws Exception {
    try (BrokerProcess broker = BrokerProcess.start("broker", "--port", "0", "--host", "127.0.0.1")) {
      HttpResponse<String> response = get(broker.port(), "/", null);
      assertEquals(200, response.statusCode());
      assertEquals(APP_JSON, new JsonObject(response.body()));
    }
  }

  @Test
  void reflectsTheOriginHeaderInCorsByDefault() throws Exception {
    try (BrokerProcess broker = BrokerProcess.start("broker", "--port", "0", "--host", "127.0.0.1")) {
      String origin = UUID.randomUUID().toString();
      assertEquals(origin, allowedOrigin(broker.port(), origin));
    }
  }

  @Test
  void respectsTheCorsParameters() throws Exception {
    String origin1 = UUID.randomUUID().toString();
    String origin2 = UUID.randomUUID().toString();
    String origin3 = UUID.randomUUID().toString();
    try (BrokerProcess broker = BrokerProcess.start("broker", "--port", "0", "--host", "127.0.0.1",
        "--cors", origin1, "--cors", origin2)) {
      int port = broker.port();
      assertEquals(origin1, allowedOrigin(port, origin1));
      assertEquals(origin2, allowedOrigin(port, origin2));
      assertNull(allowedOrigin(port, origin3));
    }
  }

  @Test
  void takesPeerServersArrayAndBooleanForms() throws Exception {
    String origin1 = "capacitor://localhost";
    String origin2 = UUID.randomUUID().toString();
    try (BrokerProcess broker = BrokerProcess.start("broker", "--port", "0", "--host", "127.0.0.1",
        "--allow_discovery", "true", "--proxied", "true", "--cors", origin1, origin2)) {
      int port = broker.port();
      assertEquals(origin1, allowedOrigin(port, origin1));
      assertEquals(origin2, allowedOrigin(port, origin2));
      assertNull(allowedOrigin(port, "https://elsewhere.example"));
      assertEquals("[]", get(port, "/peerjs/peers", null).body(), "--allow_discovery true lists peers");
    }
  }
}
