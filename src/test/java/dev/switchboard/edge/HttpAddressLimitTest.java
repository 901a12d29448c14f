package dev.switchboard.edge;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.RawHttp;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http_ip_limit} caps the HTTP connections one address holds before they become WebSocket peers:
 * idle sockets from one address over the cap are closed at once, and a peer from another address still
 * gets in while they are open. An upgraded WebSocket gives its slot back ({@code ip_limit} counts it).
 */
@ExtendWith(VertxExtension.class)
class HttpAddressLimitTest {
  private static final int CAP = 4;
  // Long enough that nothing in this test is closed by a timeout.
  private static final int LONG_MS = 60_000;

  @Test
  void idleSocketsOverTheCapAreClosedAndAnotherAddressStillGetsIn(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setHttpIpLimit(CAP).setHeaderTimeout(LONG_MS)).actualPort();
    List<RawHttp> idle = new ArrayList<>();
    try {
      // The first CAP are surely counted once they are answered (they stay open: keep-alive).
      for (int i = 0; i < CAP; i++) {
        RawHttp within = RawHttp.connect(port);
        idle.add(within);
        within.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        within.readUntil("PeerJS Server");
      }
      for (int i = 0; i < 3; i++) {
        try (RawHttp over = RawHttp.connect(port)) {
          assertEquals("", over.readUntilClosed(), "closed without an answer");
        }
      }
      for (RawHttp within : idle) {
        assertFalse(within.isClosedWithin(50), "a connection within the cap was closed");
      }
      try (RawHttp other = RawHttp.connectFrom("127.0.0.2", port)) {
        other.write("GET /peerjs?key=peerjs&id=carol&token=t HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String upgrade = other.readUntil("{\"type\":\"OPEN\"}");
        assertTrue(upgrade.startsWith("HTTP/1.1 101 "), upgrade);
      }
    } finally {
      idle.forEach(RawHttp::close);
    }
  }

  @Test
  void anUpgradedWebSocketGivesItsSlotBack(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setHttpIpLimit(CAP).setHeaderTimeout(LONG_MS)).actualPort();
    List<TestPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 2 * CAP; i++) {
        peers.add(TestPeer.open(vertx, port, "peer" + i));
      }
      try (RawHttp plain = RawHttp.connect(port)) {
        plain.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(plain.readUntilClosed().startsWith("HTTP/1.1 200 "));
      }
    } finally {
      peers.forEach(TestPeer::close);
    }
  }

  @Test
  void connectionsFromATrustedProxyAreNotCounted(Vertx vertx) {
    // 127.0.0.1 is a trusted proxy by default; with --proxied it carries many clients' connections.
    int port = Brokers.start(vertx, Brokers.options().setHttpIpLimit(CAP).setHeaderTimeout(LONG_MS).setProxied(true))
        .actualPort();
    List<RawHttp> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2 * CAP; i++) {
        RawHttp http = RawHttp.connect(port);
        open.add(http);
        http.write("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113." + i + "\r\n\r\n");
        http.readUntil("PeerJS Server");
      }
    } finally {
      open.forEach(RawHttp::close);
    }
  }
}
