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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  // Capacitor, Ionic, Electron and extension pages have origins of their own schemes.
  @Test
  void customSchemeOriginsCanBeListed(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setCors(List.of("capacitor://localhost", "null"))).actualPort();
    try (TestPeer app = connect(vertx, port, "app", "capacitor://localhost");
         TestPeer file = connect(vertx, port, "file", "null")) {
      app.expectType("OPEN");
      file.expectType("OPEN");
    }
    assertEquals(403, refusedStatus(() -> connect(vertx, port, "other", "ionic://localhost")));
  }

  @Test
  void aRefusedOriginIsLoggedOnceAsAWarningWithoutAStackTrace(Vertx vertx) {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord record) { records.add(record); }
      @Override public void flush() { }
      @Override public void close() { }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      int port = Brokers.start(vertx, Brokers.options().setCors(List.of("https://app.example"))).actualPort();
      for (int i = 0; i < 3; i++) {
        int attempt = i;
        assertEquals(403, refusedStatus(() -> connect(vertx, port, "evil" + attempt, "https://evil.example")));
      }
    } finally {
      root.removeHandler(capture);
    }
    assertTrue(records.stream().noneMatch(r -> r.getLevel() == Level.SEVERE), "a SEVERE record was logged");
    // The test's own client logs evicted connections; only the broker's records count here.
    List<LogRecord> warnings = records.stream().filter(r -> r.getLoggerName().startsWith("dev.switchboard"))
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertEquals(1, warnings.size(), () -> warnings.stream().map(LogRecord::getMessage).toList().toString());
    assertTrue(warnings.get(0).getMessage().contains("https://evil.example"), warnings.get(0).getMessage());
    assertEquals(Level.WARNING, warnings.get(0).getLevel());
    assertEquals(null, warnings.get(0).getThrown());
  }
}
