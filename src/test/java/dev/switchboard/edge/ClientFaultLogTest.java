package dev.switchboard.edge;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client cannot write SEVERE or WARNING lines, nor stack traces, into the log: requests Vert.x cannot
 * route and malformed requests are logged at FINE, in one line.
 */
@ExtendWith(VertxExtension.class)
class ClientFaultLogTest {
  private static final String[] FAULTS = {
      "CONNECT host:22 HTTP/1.1\r\nHost: host:22\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET host:22 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n",
      "GET /peerjs?key=peerjs&id=a&token=t HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: garbage\r\nSec-WebSocket-Version: 13\r\n\r\n",
      "GET /peerjs?key=peerjs&id=a&token=t HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n",
      "POST /peerjs/a/t/offer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GARBAGE\r\n\r\n",
  };

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private final Logger root = Logger.getLogger("");
  private Level previous;

  @BeforeEach
  void captureEverything() {
    previous = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void restore() {
    root.removeHandler(capture);
    root.setLevel(previous);
  }

  @Test
  void clientFaultsAreLoggedAtFineWithoutStackTraces(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options()).actualPort();
    for (String fault : FAULTS) {
      try (RawHttp http = RawHttp.connect(port)) {
        http.write(fault);
        // Answered with an error status, or (a broken chunk: a response may have begun) closed.
        String response = http.readUntilOrClosed("\r\n\r\n");
        assertTrue(response.isEmpty() || response.matches("(?s)HTTP/1\\.[01] [45]\\d\\d .*"), fault + " -> " + response);
      }
    }
    // Each refusal is logged when it is answered; a request through the router is logged after its answer.
    try (RawHttp last = RawHttp.connect(port)) {
      last.write("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      last.readUntilClosed();
    }
    dev.switchboard.support.Await.until("the router's refusals are logged",
        () -> records.stream().filter(r -> r.getLoggerName().endsWith("RouterFailures")).count() >= 4, 10);
    assertQuiet();
  }

  @Test
  void timeoutsAndTheAddressLimitAreNotWarnings(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setHeaderTimeout(800).setBodyTimeout(800)
        .setHttpIpLimit(1)).actualPort();
    try (RawHttp holder = RawHttp.connect(port)) {
      holder.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      holder.readUntil("PeerJS Server"); // answered, so it holds 127.0.0.1's one slot
      try (RawHttp over = RawHttp.connect(port)) {
        assertTrue(over.readUntilClosed().isEmpty());
      }
    }
    try (RawHttp body = RawHttp.connectFrom("127.0.0.4", port)) {
      body.write("POST /peerjs/a/t/offer HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{");
      assertTrue(body.readUntilClosed().startsWith("HTTP/1.1 408 "));
    }
    try (RawHttp head = RawHttp.connectFrom("127.0.0.3", port)) {
      head.write("GET / HTTP/1.1\r\nHost");
      assertTrue(head.readUntilClosed().startsWith("HTTP/1.1 408 "));
    }
    dev.switchboard.support.Await.until("the refusals are logged", () -> records.stream()
        .filter(r -> r.getLoggerName().startsWith("dev.switchboard.transport")).count() >= 3, 10);
    assertQuiet();
  }

  private void assertQuiet() {
    for (LogRecord record : records) {
      if (record.getLoggerName().equals("io.vertx.core.impl.BlockedThreadChecker")) {
        continue; // a loaded test machine, not a client
      }
      String line = record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage();
      assertTrue(record.getLevel().intValue() < Level.WARNING.intValue(), line);
      assertTrue(record.getThrown() == null || record.getLevel().intValue() < Level.INFO.intValue()
          && !record.getLoggerName().startsWith("dev.switchboard"), "stack trace: " + line);
    }
  }
}
