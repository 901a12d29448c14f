package dev.switchboard.transport;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The JSON parser's limits (docs/protocol.md, "Limits inside a message"): a frame over one of them is
 * refused naming that limit, over a WebSocket (ERROR, the peer stays) and over XHR (400); a frame just
 * within them is relayed. The frame limit is raised here so that only the JSON limits bind.
 */
@ExtendWith(VertxExtension.class)
class JsonLimitsTest {
  private static final int STRING_LIMIT = 1024 * 1024;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options().setMaxMessageSize(4 * STRING_LIMIT)
        .setSendBuffer(8 * STRING_LIMIT)).actualPort();
  }

  /** {frame, the reason after "Invalid message: "}, one per limit. */
  private static String[][] overLimits() {
    return new String[][] {
        {offer("\"payload\":" + "[".repeat(64) + "]".repeat(64)), "JSON nested deeper than 64 levels"},
        {offer("\"payload\":{\"n\":" + "9".repeat(101) + "}"), "number longer than 100 digits"},
        {offer("\"payload\":{\"n\":0." + "9".repeat(101) + "}"), "number longer than 100 digits"},
        {offer("\"payload\":{\"" + "k".repeat(1025) + "\":1}"), "member name longer than 1024 bytes"},
        {offer("\"payload\":{\"sdp\":\"" + "s".repeat(STRING_LIMIT + 1) + "\"}"),
            "string longer than 1048576 characters"},
    };
  }

  /** Frames exactly at each limit: all relayed. */
  private static String[] atLimits() {
    return new String[] {
        offer("\"payload\":" + "[".repeat(63) + "]".repeat(63)),
        offer("\"payload\":{\"n\":" + "9".repeat(98) + ".5e-7}"), // 100 digits in all
        offer("\"payload\":{\"" + "k".repeat(1024) + "\":1}"),
        offer("\"payload\":{\"sdp\":\"" + "s".repeat(STRING_LIMIT) + "\"}"),
    };
  }

  @Test
  void overAWebSocketTheErrorNamesTheLimitAndThePeerStays() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice"); TestPeer bob = bigMessagePeer("bob")) {
      for (String[] c : overLimits()) {
        alice.send(c[0]);
        alice.expectError("Invalid message: " + c[1]);
      }
      for (String frame : atLimits()) {
        alice.send(frame);
        assertEquals("alice", bob.expectType("OFFER").getString("src"));
      }
      assertFalse(alice.isClosed());
    }
  }

  @Test
  void overXhrTheAnswerIs400NamingTheLimit() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = bigMessagePeer("bob")) {
      alice.stream("i=0").firstMessage();
      for (String[] c : overLimits()) {
        XhrPeer.Reply reply = alice.post("offer", c[0]);
        assertEquals(400, reply.status(), c[1]);
        assertEquals("Invalid message: " + c[1], reply.body());
      }
      for (String frame : atLimits()) {
        assertEquals(200, alice.post("offer", frame).status());
        assertEquals("alice", bob.expectType("OFFER").getString("src"));
      }
    }
  }

  // The client's own limits (64 KiB frames) would refuse the string at the limit.
  private TestPeer bigMessagePeer(String id) {
    TestPeer peer = TestPeer.connect(vertx,
        new WebSocketClientOptions().setMaxFrameSize(4 * STRING_LIMIT).setMaxMessageSize(4 * STRING_LIMIT),
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/peerjs?" + TestPeer.query(id, "token-" + id)));
    peer.expectType("OPEN");
    return peer;
  }

  private static String offer(String members) {
    return "{\"type\":\"OFFER\",\"dst\":\"bob\"," + members + "}";
  }
}
