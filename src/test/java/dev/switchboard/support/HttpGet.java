package dev.switchboard.support;

import io.vertx.core.json.JsonArray;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Small blocking HTTP GETs against a broker's API, for tests. */
public final class HttpGet {
  // HTTP/1.1 as browsers speak it to a broker (the JDK's default would ask for an h2c upgrade).
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(5)).build();

  private HttpGet() {
  }

  public static String text(int port, String path) {
    return text("127.0.0.1", port, path);
  }

  public static String text(String host, int port, String path) {
    try {
      HttpResponse<String> response = CLIENT.send(
          HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(java.time.Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The ids {@code GET /peerjs/peers} lists (the broker needs allow_discovery). */
  @SuppressWarnings("unchecked")
  public static List<String> peers(int port) {
    return peers("127.0.0.1", port);
  }

  /** The same, from a broker listening on {@code host} (a test network namespace's address). */
  @SuppressWarnings("unchecked")
  public static List<String> peers(String host, int port) {
    return (List<String>) (List<?>) new JsonArray(text(host, port, "/peerjs/peers")).getList();
  }
}
