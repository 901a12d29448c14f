package dev.switchboard.edge;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.RawHttp;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half-finished HTTP connections do not stay: an idle socket, a head trickled a byte at a time, a body
 * that never completes and a keep-alive connection with nothing to do are closed after their timeouts
 * (408 where a response is still possible); upgraded WebSockets and live XHR streams are not timed.
 */
@ExtendWith(VertxExtension.class)
class HttpTimeoutTest {
  // Short, but long enough for a loaded machine's first connection to send its head: only the timeout
  // under test is short in each test, the others keep their defaults.
  private static final int SHORT_MS = 800;

  private static SwitchboardOptions headerTimeout() {
    return Brokers.options().setHeaderTimeout(SHORT_MS);
  }

  @Test
  void anIdleSocketIsClosedAfterTheHeaderTimeout(Vertx vertx) {
    int port = Brokers.start(vertx, headerTimeout()).actualPort();
    long start = System.nanoTime();
    try (RawHttp idle = RawHttp.connect(port)) {
      assertEquals("", idle.readUntilClosed(), "nothing was asked, so nothing is answered");
    }
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= SHORT_MS - 50);
  }

  @Test
  void aHeadTrickledAByteAtATimeGets408AfterTheHeaderTimeout(Vertx vertx) throws Exception {
    int port = Brokers.start(vertx, headerTimeout()).actualPort();
    NetSocket socket = vertx.createNetClient(new NetClientOptions()).connect(port, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    StringBuilder answer = new StringBuilder();
    CompletableFuture<String> closed = new CompletableFuture<>();
    socket.handler(data -> answer.append(data.toString()));
    socket.closeHandler(v -> closed.complete(answer.toString()));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n");
    AtomicInteger sent = new AtomicInteger();
    long trickle = vertx.setPeriodic(SHORT_MS / 10, t -> {
      socket.write(Buffer.buffer(new byte[] {'a'}));
      sent.incrementAndGet();
    });
    try {
      String response = closed.get(10, TimeUnit.SECONDS);
      assertTrue(response.startsWith("HTTP/1.1 408 "), response);
      assertTrue(response.contains("Connection: close"), response);
      assertTrue(sent.get() >= 3, "bytes kept arriving until the close: " + sent.get());
    } finally {
      vertx.cancelTimer(trickle);
    }
  }

  @Test
  void aBodyThatNeverCompletesGets408AfterTheBodyTimeout(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setBodyTimeout(SHORT_MS)).actualPort();
    try (RawHttp post = RawHttp.connect(port)) {
      post.write("POST /peerjs/alice/token-alice/offer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"type\":\"OFFER\"");
      String response = post.readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 408 "), response);
    }
  }

  @Test
  void aKeepAliveConnectionIsClosedWhenIdleButALiveXhrStreamAndAWebSocketAreNot(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setHttpIdleTimeout(SHORT_MS)).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         RawHttp stream = RawHttp.connect(port);
         RawHttp keepAlive = RawHttp.connect(port)) {
      stream.write("POST /peerjs/bob/token-bob/id?i=0 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      stream.readUntil("{\"type\":\"OPEN\"}");
      keepAlive.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      keepAlive.readUntil("PeerJS Server");
      // Closed after the idle timeout, which began after the stream and the WebSocket opened.
      assertTrue(keepAlive.readUntilClosed().startsWith("HTTP/1.1 200 "));
      assertFalse(stream.isClosedWithin(50), "the XHR stream was closed: " + stream.text());
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":\"x\"}}");
      stream.readUntil("\"src\":\"alice\"");
      assertFalse(alice.isClosed(), "the WebSocket was closed");
    }
  }

  @Test
  void aLaterRequestsHeadIsTimedFromItsFirstByteNotByTheIdleTimeout(Vertx vertx) {
    int port = Brokers.start(vertx, headerTimeout()).actualPort();
    try (RawHttp keepAlive = RawHttp.connect(port)) {
      keepAlive.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      int first = keepAlive.readUntil("PeerJS Server").length();
      keepAlive.write("GET / HTTP/1.1\r\nHo");
      String second = keepAlive.readUntilClosed().substring(first);
      assertTrue(second.startsWith("HTTP/1.1 408 "), second);
    }
  }
}
