package dev.switchboard.edge;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Vert.x would accept but the broker refuses: malformed WebSocket keys (RFC 6455 §4.2.1), folded
 * header lines (RFC 7230 §3.2.4), versions other than HTTP/1.x, CONNECT, and HTTP/2 over cleartext
 * unless {@code --h2c} is given.
 */
@ExtendWith(VertxExtension.class)
class MalformedRequestTest {
  private static final String UPGRADE = "GET /peerjs?key=peerjs&id=alice&token=t HTTP/1.1\r\nHost: x\r\n"
      + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
  private static final String H2C_UPGRADE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
      + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";

  private static String exchange(int port, String request, String until) {
    try (RawHttp http = RawHttp.connect(port)) {
      http.write(request);
      return http.readUntil(until);
    }
  }

  @Test
  void upgradesWithAKeyThatIsNotBase64Of16BytesGet400(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options()).actualPort();
    for (String key : new String[] {"garbage!!", "dGhlIHNhbXBsZQ==", "dGhlIHNhbXBsZSBub25jZQ==dGhl", "", "%%%%%%%%%%%%%%%%%%%%%%=="}) {
      String response = exchange(port, UPGRADE + "Sec-WebSocket-Key: " + key + "\r\n\r\n", "\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 400 "), key + ": " + response);
    }
    String twoKeys = exchange(port, UPGRADE + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", "\r\n\r\n");
    assertTrue(twoKeys.startsWith("HTTP/1.1 400 "), twoKeys);
    String good = exchange(port, UPGRADE + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", "OPEN");
    assertTrue(good.startsWith("HTTP/1.1 101 "), good);
  }

  @Test
  void foldedHeadersOtherVersionsAndConnectAreRefused(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options()).actualPort();
    String folded = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n b\r\n\r\n", "\r\n\r\n");
    assertTrue(folded.startsWith("HTTP/1.1 400 ") && folded.contains("obs-fold"), folded);
    String tabFolded = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n\tb\r\n\r\n", "\r\n\r\n");
    assertTrue(tabFolded.startsWith("HTTP/1.1 400 "), tabFolded);
    String nine = exchange(port, "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "\r\n\r\n");
    assertTrue(nine.startsWith("HTTP/1.1 400 ") && nine.contains("HTTP/9.9"), nine);
    String connect = exchange(port, "CONNECT host:22 HTTP/1.1\r\nHost: host:22\r\n\r\n", "\r\n\r\n");
    assertTrue(connect.startsWith("HTTP/1.1 405 "), connect);
    // Leading empty lines may precede a request (RFC 9112 §2.2), and HTTP/1.0 is still HTTP/1.x.
    String fine = exchange(port, "\r\nGET / HTTP/1.0\r\nHost: x\r\n\r\n", "PeerJS Server");
    assertTrue(fine.startsWith("HTTP/1.0 200 "), fine);
  }

  @Test
  void h2cIsOffUnlessAskedFor(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options()).actualPort();
    String upgrade = exchange(port, H2C_UPGRADE, "PeerJS Server");
    assertTrue(upgrade.startsWith("HTTP/1.1 200 "), "answered as HTTP/1.1, not switched: " + upgrade);
    try (RawHttp priorKnowledge = RawHttp.connect(port)) {
      priorKnowledge.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      String response = priorKnowledge.readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 400 "), "no HTTP/2 SETTINGS frame: " + response);
    }
    int h2c = Brokers.start(vertx, Brokers.options().setH2c(true)).actualPort();
    String switched = exchange(h2c, H2C_UPGRADE, "\r\n\r\n");
    assertTrue(switched.startsWith("HTTP/1.1 101 "), switched);
    assertFalse(switched.contains("HTTP/1.1 200"), switched);
  }
}
