package dev.switchboard.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile HTTP before any WebSocket exists: garbage instead of a request, oversize request lines and
 * headers, upgrades that RFC 6455 4.2.1 and RFC 9110/9112 say to refuse (a key that is not 16 bytes of
 * base64, line folding, an HTTP version that does not exist), requests for other protocols (h2c, the
 * HTTP/2 preface, CONNECT) and request smuggling shapes. Each gets an HTTP error (or the connection
 * closed), never a 101 and never a SEVERE line; -1 below means "closed without an answer".
 */
class UpgradeAbuseIT extends HostileSuite {
  private static final Set<Integer> BAD_REQUEST = Set.of(400);
  private static final Set<Integer> BAD_REQUEST_OR_CLOSED = Set.of(400, -1);

  @BeforeAll
  static void start() {
    startBroker("upgrade-abuse");
  }

  private static String upgrade(String... headerLines) {
    return RawWebSocket.upgradeRequest(attackerId("up"), "t", headerLines);
  }

  // An upgrade with the usual lines, `key` and `version` in place of the good ones.
  private static String upgradeWith(String key, String version, String... more) {
    String good = upgrade(more);
    return good.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", key).replace("Sec-WebSocket-Version: 13", version);
  }

  static Stream<Arguments> requests() {
    String host = "Host: 127.0.0.1\r\n";
    return Stream.of(
        Arguments.of("request line of 64 KiB", "GET /" + "a".repeat(65_536) + " HTTP/1.1\r\n" + host + "\r\n", Set.of(414, 400, -1)),
        Arguments.of("one header of 64 KiB", "GET / HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(65_536) + "\r\n\r\n", Set.of(431, 400, -1)),
        Arguments.of("2000 small headers", "GET / HTTP/1.1\r\n" + host + "X-H: v\r\n".repeat(2000) + "\r\n", Set.of(431, 400, -1)),
        Arguments.of("an upgrade with 64 KiB of headers", upgrade("X-Big: " + "c".repeat(65_536)), Set.of(431, 400, -1)),
        Arguments.of("a key that is not base64", upgradeWith("Sec-WebSocket-Key: !!not*base64!!", "Sec-WebSocket-Version: 13"), BAD_REQUEST),
        Arguments.of("a key of 4 bytes", upgradeWith("Sec-WebSocket-Key: AAECAw==", "Sec-WebSocket-Version: 13"), BAD_REQUEST),
        Arguments.of("no key", upgradeWith("X-No-Key: 1", "Sec-WebSocket-Version: 13"), BAD_REQUEST),
        Arguments.of("version 99", upgradeWith("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 99"), Set.of(400, 426)),
        Arguments.of("an obs-fold header line", upgrade("X-Folded: first", " second"), BAD_REQUEST),
        Arguments.of("HTTP/9.9", upgrade().replace("HTTP/1.1\r\n", "HTTP/9.9\r\n"), Set.of(400, 505)),
        Arguments.of("HTTP/1.1 h2c upgrade", "GET / HTTP/1.1\r\n" + host + "Connection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n", Set.of(200, 400)),
        Arguments.of("HTTP/2 prior-knowledge preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Set.of(400, 404, 405, 501, 505, -1)),
        Arguments.of("CONNECT", "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n", Set.of(400, 404, 405, 501, -1)),
        Arguments.of("Content-Length and chunked", "POST /peerjs/a/b/offer HTTP/1.1\r\n" + host
            + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", BAD_REQUEST_OR_CLOSED),
        Arguments.of("two Content-Lengths", "POST /peerjs/a/b/offer HTTP/1.1\r\n" + host
            + "Content-Length: 2\r\nContent-Length: 7\r\n\r\n{}", BAD_REQUEST_OR_CLOSED),
        Arguments.of("a chunk size that is not hex", "POST /peerjs/a/b/offer HTTP/1.1\r\n" + host
            + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", BAD_REQUEST_OR_CLOSED),
        Arguments.of("a header without a colon", "GET / HTTP/1.1\r\n" + host + "NoColonHere\r\n\r\n", BAD_REQUEST_OR_CLOSED),
        Arguments.of("a space before the colon", "GET / HTTP/1.1\r\n" + host + "X-Space : v\r\n\r\n", BAD_REQUEST_OR_CLOSED),
        Arguments.of("an upgrade elsewhere than /peerjs", upgrade().replace("GET /peerjs?", "GET /elsewhere?"), Set.of(404)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void badRequestsGetAnHttpErrorNever101(String what, String request, Set<Integer> statuses) throws Exception {
    RawWebSocket attacker = attack(RawWebSocket.tcp(port())).timeout(Duration.ofSeconds(5));
    try {
      attacker.writeAscii(request);
    } catch (java.net.SocketException closed) {
      // the broker answered and closed before reading it all: the answer is still there to read
    }
    int status = attacker.readStatus();
    assertTrue(statuses.contains(status), () -> what + ": answered " + status + ", expected one of " + statuses);
  }

  @Test
  void garbageBytesInsteadOfARequestAreRefusedAndTheConnectionEnds() throws Exception {
    Random random = new Random(42);
    List<RawWebSocket> connections = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] garbage = new byte[4096];
      random.nextBytes(garbage);
      connections.add(attack(RawWebSocket.tcp(port())).writeRaw(garbage));
    }
    for (RawWebSocket connection : connections) {
      assertTrue(connection.endsWithin(Duration.ofSeconds(5)), "a connection that sent garbage is still open");
    }
  }

  @Test
  void anUpgradeWithoutItsParametersGetsPeerServersErrorAndIsClosed() throws Exception {
    RawWebSocket attacker = attack(RawWebSocket.tcp(port()));
    attacker.writeAscii(upgrade().replace("&id=", "&nothing="));
    assertTrue(attacker.readHead().startsWith("HTTP/1.1 101"));
    assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"No id, token, or key supplied to websocket server\"}}",
        attacker.readFrame().text());
    assertEquals(1008, attacker.awaitClose(Duration.ofSeconds(5)));
  }
}
