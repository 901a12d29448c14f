package dev.switchboard.admin;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The application's side of the admin API in tests: plain HTTP with the bearer token. */
final class AdminClient {
  static final String TOKEN = "admin-token-admin-token-admin-token-0123";

  /** The status, the body as JSON (null when empty or not a JSON object) and as text. */
  record Answer(int status, JsonObject body, String text) {
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String token;

  AdminClient(int port) {
    this(port, TOKEN);
  }

  AdminClient(int port, String token) {
    this.port = port;
    this.token = token;
  }

  Answer get(String path) {
    return call("GET", path, null);
  }

  Answer delete(String path) {
    return call("DELETE", path, null);
  }

  Answer delete(String path, String body) {
    return call("DELETE", path, body);
  }

  Answer post(String path, String body) {
    return call("POST", path, body);
  }

  Answer call(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      return new Answer(response.statusCode(), text.startsWith("{") ? new JsonObject(text) : null, text);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
