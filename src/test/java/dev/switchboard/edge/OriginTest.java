package dev.switchboard.edge;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** WebSocket upgrades from origins outside --ws_origins (else --cors) are refused: cross-site WebSocket hijacking. */
@ExtendWith(VertxExtension.class)
class OriginTest {

  private static TestPeer connect(Vertx vertx, int port, String id, String origin) {
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/peerjs?key=peerjs&id=" + id + "&token=t");
    if (origin != null) {
      connect.addHeader("Origin", origin);
    } else {
      connect.setAllowOriginHeader(false); // the Vert.x client would send one of its own
    }
    return TestPeer.connect(vertx, new WebSocketClientOptions(), connect);
  }

  private static int refusedStatus(Runnable attempt) {
    Throwable failure = assertThrows(Throwable.class, attempt::run);
    while (failure.getCause() != null && !(failure instanceof UpgradeRejectedException)) {
      failure = failure.getCause();
    }
    assertInstanceOf(UpgradeRejectedException.class, failure);
    return ((UpgradeRejectedException) failure).getStatus();
  }

  @Test
  void corsOriginsAlsoLimitWebSockets(Vertx vertx) {
    List<CloseReason> refused = new CopyOnWriteArrayList<>();
    var broker = Brokers.start(vertx, Brokers.options().setCors(List.of("https://app.example")));
    broker.addListener(new BrokerListener() {
      @Override
      public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
        refused.add(reason);
      }
    });
    int port = broker.actualPort();
    try (TestPeer good = connect(vertx, port, "good", "https://app.example")) {
      good.expectType("OPEN");
    }
    assertEquals(403, refusedStatus(() -> connect(vertx, port, "evil", "https://evil.example")));
    assertEquals(List.of(CloseReason.ORIGIN_NOT_ALLOWED), refused);
    // Not a browser: no Origin, no hijacking risk.
    try (TestPeer tool = connect(vertx, port, "tool", null)) {
      tool.expectType("OPEN");
    }
  }

  @Test
  void wsOriginsOverrideCors(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setCors(List.of("https://app.example"))
        .setWsOrigins(List.of("https://calls.example"))).actualPort();
    assertEquals(403, refusedStatus(() -> connect(vertx, port, "a", "https://app.example")));
    try (TestPeer calls = connect(vertx, port, "b", "https://calls.example")) {
      calls.expectType("OPEN");
    }
  }

  @Test
  void anyOriginByDefault(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options()).actualPort();
    try (TestPeer any = connect(vertx, port, "a", "https://anything.example")) {
      any.expectType("OPEN");
    }
  }
}
