package dev.switchboard.edge;

import dev.switchboard.Switchboard;
import dev.switchboard.http.OperationsApi;
import dev.switchboard.http.Readiness;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /health and /ready at the root whatever --path is, and their transitions: starting, ready, down, draining. */
@ExtendWith(VertxExtension.class)
class HealthAndDrainTest {

  record Answer(int status, String body) {
  }

  static Answer get(Vertx vertx, int port, String uri) {
    HttpClient http = vertx.createHttpClient();
    try {
      return Await.result(http.request(HttpMethod.GET, port, "127.0.0.1", uri)
          .compose(request -> request.send())
          .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString()))));
    } finally {
      http.close();
    }
  }

  @Test
  void startingIsNotReady(Vertx vertx) {
    Readiness readiness = new Readiness();
    int port = Await.result(vertx.createHttpServer()
        .requestHandler(new OperationsApi(readiness, null, null).router(vertx)).listen(0, "127.0.0.1")).actualPort();
    assertEquals(new Answer(503, "{\"status\":\"STARTING\",\"reason\":\"starting\"}"), get(vertx, port, "/ready"));
    assertEquals(200, get(vertx, port, "/health").status());
    readiness.ready();
    assertEquals(new Answer(200, "{\"status\":\"READY\"}"), get(vertx, port, "/ready"));
  }

  @Test
  void atTheRootNotUnderThePathAndDownWhileADependencyIs(Vertx vertx) {
    AtomicBoolean authUp = new AtomicBoolean(true);
    Switchboard broker = Brokers.start(vertx, Brokers.options().setPath("/calls"));
    broker.addReadinessCheck("auth backend", authUp::get);
    int port = broker.actualPort();
    assertEquals(new Answer(200, "{\"status\":\"UP\"}"), get(vertx, port, "/health"));
    assertEquals(200, get(vertx, port, "/ready").status());
    assertEquals(404, get(vertx, port, "/calls/health").status());
    authUp.set(false);
    Answer down = get(vertx, port, "/ready");
    assertEquals(503, down.status());
    assertEquals("auth backend is down", new JsonObject(down.body()).getString("reason"));
    assertEquals(200, get(vertx, port, "/health").status(), "alive even when not ready");
    authUp.set(true);
    assertEquals(200, get(vertx, port, "/ready").status());
  }

  @Test
  void drainTellsPeersToReconnectRefusesNewOnesAndWaitsForThem(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setDrainTimeout(3_000));
    int port = broker.actualPort();
    // A client that never answers the close handshake: the drain waits for it until drain_timeout.
    NetSocket stuck = Await.result(vertx.createNetClient().connect(port, "127.0.0.1"));
    Promise<Void> upgraded = Promise.promise();
    stuck.handler(data -> {
      if (data.toString().startsWith("HTTP/1.1 101")) {
        upgraded.tryComplete();
      }
    });
    stuck.write("GET /peerjs?key=peerjs&id=stuck&token=t HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    Await.result(upgraded.future());
    Await.until("stuck is a peer", () -> broker.peerCount() == 1, 5);
    long started = System.nanoTime();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      Future<Void> drained = broker.drain();
      alice.expectError("Server is restarting, please reconnect");
      assertEquals((short) 1012, alice.awaitClose().code());
      assertFalse(drained.isComplete(), "the drain waits for the stuck connection");
      Answer ready = get(vertx, port, "/ready");
      assertEquals(503, ready.status());
      assertEquals("DRAINING", new JsonObject(ready.body()).getString("status"));
      Throwable refused = assertThrows(Throwable.class, () -> TestPeer.connect(vertx, port, "late", "t"));
      while (refused.getCause() != null && !(refused instanceof UpgradeRejectedException)) {
        refused = refused.getCause();
      }
      assertEquals(503, ((UpgradeRejectedException) refused).getStatus());
      Await.result(drained, 10);
      assertTrue(System.nanoTime() - started >= 2_500_000_000L, "waited for the stuck connection until drain_timeout");
    }
  }
}
