package dev.switchboard.deploy;

import dev.switchboard.support.Await;
import dev.switchboard.support.BrokerProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/deploy/switchboard.service reloads with SIGHUP (ExecReload). A broker without TLS has nothing to
 * reload and must keep serving: the JVM's own reaction to SIGHUP would be to exit.
 */
class ReloadSignalIT {

  @Test
  void sighupWithoutTlsIsLoggedAndTheBrokerKeepsServing() throws Exception {
    try (BrokerProcess broker = BrokerProcess.start("plain", "--host", "127.0.0.1", "--port", "0")) {
      int port = broker.port();
      new ProcessBuilder("kill", "-HUP", String.valueOf(broker.pid())).start().waitFor();
      Await.until("the SIGHUP logged", () -> broker.output().contains("Received SIGHUP") || !broker.isAlive(), 20);
      assertTrue(broker.isAlive(), "the broker exited on SIGHUP:\n" + broker.output());
      assertTrue(broker.output().contains("Received SIGHUP; no TLS certificate to reload"), broker.output());
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
    }
  }
}
