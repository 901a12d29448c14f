package dev.switchboard.transport;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.netty.channel.ChannelHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After the upgrade a peer's connection is served by the broker's own Netty handler, not Vert.x's: the
 * RFC 6455 duties Vert.x did must still be done (pings, fragments, both ways of closing), and none of
 * Vert.x's per-WebSocket objects may stay in the pipeline.
 */
@ExtendWith(VertxExtension.class)
class WebSocketProtocolTest {

  @Test
  void aPeersPipelineEndsWithTheBrokersHandlerNotVertxs(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    Map<String, PeerLink> links = new ConcurrentHashMap<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        links.put(peer.id(), peer);
      }
    });
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      List<String> handlers = ((WebSocketPeerLink) links.get("alice")).channel().pipeline().toMap().values().stream()
          .map(ChannelHandler::getClass).map(Class::getName).collect(Collectors.toList());
      assertFalse(handlers.stream().anyMatch(name -> name.startsWith("io.vertx.")), handlers.toString());
      // The HTTP edge's guard leaves at the upgrade: a peer is timed by alive_timeout, not HTTP's timeouts.
      assertFalse(handlers.stream().anyMatch(name -> name.startsWith(HttpConnectionGuard.class.getName())),
          handlers.toString());
      assertTrue(handlers.get(handlers.size() - 1).startsWith(WebSocketPeerLink.class.getName()), handlers.toString());
    }
  }

  @Test
  void framesAreHandledInTheServersVertxContext(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    CompletableFuture<io.vertx.core.Context> seen = new CompletableFuture<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void frameReceived(PeerLink from, int bytes) {
        seen.complete(Vertx.currentContext());
      }
    });
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      alice.send(new JsonObject().put("type", "HEARTBEAT"));
      io.vertx.core.Context context = seen.get(10, TimeUnit.SECONDS);
      assertTrue(context != null && context.isEventLoopContext(),
          "the cluster's relay batching and the XHR stream look the context up: " + context);
    }
  }

  @Test
  void pingsAreAnsweredWithTheirPayloadAndCountAsSignsOfLife(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      CompletableFuture<String> pong = new CompletableFuture<>();
      alice.socket().pongHandler(data -> pong.complete(data.toString()));
      Await.result(alice.socket().writePing(Buffer.buffer("are you there")));
      assertEquals("are you there", pong.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aFragmentedMessageIsRelayedWhole(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    int port = broker.actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      Await.result(alice.socket().writeFrame(WebSocketFrame.textFrame("{\"type\":\"OFFER\",", false)));
      Await.result(alice.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"dst\":\"bob\","), false)));
      Await.result(alice.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"payload\":{\"sdp\":\"v=0\"}}"), true)));
      assertEquals("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":\"v=0\"},\"src\":\"alice\"}", bob.nextText());
    }
  }

  @Test
  void fragmentsPastTheLimitEndThePeerWith1009(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setMaxMessageSize(1024).setSendBuffer(4096));
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      Await.result(alice.socket().writeFrame(WebSocketFrame.textFrame("{\"type\":\"OFFER\",\"payload\":\"", false)));
      Await.result(alice.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("x".repeat(600)), false)));
      Await.result(alice.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("x".repeat(600)), false)));
      alice.expectType("ERROR");
      assertEquals((short) 1009, alice.awaitClose().code());
    }
  }

  @Test
  void anUnmaskedFrameIsAProtocolErrorClosedWith1002(Vertx vertx) throws Exception {
    // Clients must mask their frames (RFC 6455 5.1).
    assertEquals(CloseReason.PROTOCOL_ERROR, rawFrameEndsThePeer(vertx, new byte[] {(byte) 0x81, 0x02, 'h', 'i'}, 1002));
  }

  @Test
  void aSingleFrameFarOverTheLimitIsRefusedFromItsHeaderWith1009(Vertx vertx) throws Exception {
    // A masked text frame announcing 2 MiB: the decoder refuses it before reading the payload.
    byte[] header = {(byte) 0x81, (byte) 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4};
    assertEquals(CloseReason.MESSAGE_TOO_BIG, rawFrameEndsThePeer(vertx, header, 1009));
  }

  // Opens a peer over a plain socket, writes raw bytes as a frame, expects a close frame with the code.
  private static CloseReason rawFrameEndsThePeer(Vertx vertx, byte[] frame, int expectedCode) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    CompletableFuture<CloseReason> ended = Brokers.disconnectOf(broker, null);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", broker.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /peerjs?key=peerjs&id=alice&token=t HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      String head = readUntil(in, "\r\n\r\n");
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      readUntil(in, "{\"type\":\"OPEN\"}");
      socket.getOutputStream().write(frame);
      byte[] next = in.readNBytes(2);
      if ((next[0] & 0x0f) == 0x1) { // the ERROR notice first: skip it
        in.readNBytes(next[1] & 0x7f);
        next = in.readNBytes(2);
      }
      assertEquals(0x88, next[0] & 0xff, "a close frame");
      byte[] code = in.readNBytes(2);
      assertEquals(expectedCode, ((code[0] & 0xff) << 8) | (code[1] & 0xff));
      in.readNBytes((next[1] & 0x7f) - 2);
      assertEquals(-1, in.read(), "then the connection ends");
    }
    return ended.get(10, TimeUnit.SECONDS);
  }

  private static String readUntil(java.io.InputStream in, String end) throws java.io.IOException {
    StringBuilder text = new StringBuilder();
    while (text.indexOf(end) < 0) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("closed before " + end + ": " + text);
      }
      text.append((char) b);
    }
    return text.toString();
  }

  @Test
  void theClientsCloseIsEchoedAndFreesTheIdAtOnce(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    CompletableFuture<CloseReason> ended = Brokers.disconnectOf(broker, null);
    int port = broker.actualPort();
    TestPeer alice = TestPeer.open(vertx, port, "alice");
    Await.result(alice.socket().close((short) 4321, "bye"));
    assertEquals((short) 4321, alice.awaitClose().code(), "the server echoes the client's status code");
    assertEquals(CloseReason.CLIENT_CLOSED, ended.get(10, TimeUnit.SECONDS));
    alice.close();
    try (TestPeer again = TestPeer.open(vertx, port, "alice")) {
      again.send(new JsonObject().put("type", "HEARTBEAT"));
    }
  }

  @Test
  void aServerCloseSendsTheNoticeThenTheCloseFrameAndEndsTheConnection(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    int port = broker.actualPort();
    try (TestPeer first = TestPeer.connect(vertx, port, "alice", "one")) {
      first.expectType("OPEN");
      try (TestPeer second = TestPeer.connect(vertx, port, "alice", "one")) {
        second.expectType("OPEN"); // same token: takes over
        first.expectError(dev.switchboard.protocol.ErrorText.SUPERSEDED);
        TestPeer.Close close = first.awaitClose();
        assertEquals(CloseReason.SUPERSEDED.code(), close.code());
        assertEquals(CloseReason.SUPERSEDED.text(), close.reason());
      }
    }
  }
}
