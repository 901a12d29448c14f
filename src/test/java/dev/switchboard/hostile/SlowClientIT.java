package dev.switchboard.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that hold a slot without ever finishing: idle sockets, slowloris headers, upgrades whose
 * headers never end, bodies that never arrive, idle keep-alive connections. The broker must end each of
 * them by itself, within {@link #DEADLINE} (its HTTP timeouts default to about 10 s), while the control
 * pair relays on. All kinds run at once, so the category costs one timeout, not one per kind.
 */
class SlowClientIT extends HostileSuite {
  /** The broker's header, body and idle timeouts here (3 s; defaults 10/30/30 s) plus room for a busy machine. */
  static final Duration DEADLINE = Duration.ofSeconds(12);
  private static final int EACH = 5;

  @BeforeAll
  static void start() {
    startBroker("slow-clients", "--header_timeout", "3000", "--body_timeout", "3000", "--http_idle_timeout", "3000");
  }

  @Test
  void halfFinishedConnectionsAreEndedByTheBroker() throws Exception {
    Map<String, List<RawWebSocket>> kinds = new LinkedHashMap<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      long start = System.nanoTime();
      open(kinds, "idle socket", "");
      open(kinds, "upgrade whose headers never end", "GET /peerjs?key=peerjs&id=x&token=t HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
      open(kinds, "POST whose body never comes", "POST /peerjs/a/b/offer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"type\":");
      open(kinds, "chunked POST that never ends", "POST /peerjs/a/b/offer HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n");
      open(kinds, "idle keep-alive after a request", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      List<RawWebSocket> loris = open(kinds, "slowloris (a header byte every 500 ms)", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      trickle.scheduleAtFixedRate(() -> {
        for (RawWebSocket socket : loris) {
          try {
            socket.writeAscii("x");
          } catch (IOException closed) {
            // ended by the broker: what we wait for
          }
        }
      }, 500, 500, TimeUnit.MILLISECONDS);
      List<String> stillOpen = new ArrayList<>();
      for (Map.Entry<String, List<RawWebSocket>> kind : kinds.entrySet()) {
        int open = 0;
        for (RawWebSocket socket : kind.getValue()) {
          Duration left = DEADLINE.minusNanos(System.nanoTime() - start);
          if (!socket.endsWithin(left.isNegative() ? Duration.ofMillis(1) : left)) {
            open++;
          }
        }
        if (open > 0) {
          stillOpen.add(kind.getKey() + ": " + open + " of " + kind.getValue().size());
        }
      }
      assertTrue(stillOpen.isEmpty(), () -> "still open after " + DEADLINE.toSeconds() + " s: " + stillOpen);
    } finally {
      trickle.shutdownNow();
    }
  }

  private List<RawWebSocket> open(Map<String, List<RawWebSocket>> kinds, String kind, String start) throws IOException {
    List<RawWebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      sockets.add(attack(RawWebSocket.tcp(port())).writeAscii(start));
    }
    kinds.put(kind, sockets);
    return sockets;
  }

  /**
   * Hundreds of idle connections from one address must not keep anyone else out: a new peer from
   * another address (the control pair's) is admitted while they are open.
   */
  @Test
  void manyIdleConnectionsFromOneAddressDoNotLockOthersOut() throws Exception {
    for (int i = 0; i < 300; i++) {
      attack(RawWebSocket.tcp(port()));
    }
    try (dev.switchboard.support.TestPeer newcomer = dev.switchboard.support.TestPeer.open(vertx, port(), attackerId("newcomer"))) {
      newcomer.send("{\"type\":\"HEARTBEAT\"}");
    }
  }
}
