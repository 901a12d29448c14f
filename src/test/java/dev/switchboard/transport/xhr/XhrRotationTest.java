package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new stream ({@code i=N+1}) arriving while the old one is open: the peer stays registered, messages
 * go to the newest stream, and none is lost or duplicated across the switch.
 */
@ExtendWith(VertxExtension.class)
class XhrRotationTest {
  private static final int COUNT = 40;
  private Vertx vertx;
  private Switchboard broker;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options());
    port = broker.actualPort();
  }

  @Test
  void legacyRotationUnderTrafficLosesAndRepeatsNothing() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream first = alice.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", first.firstMessage());
      // Bob keeps sending while alice rotates; each message is on exactly one of the two streams.
      var sending = vertx.executeBlocking(() -> {
        for (int i = 0; i < COUNT; i++) {
          bob.send(new JsonObject().put("type", "CANDIDATE").put("dst", "alice").put("payload", i));
        }
        return null;
      });
      XhrPeer.Stream second = alice.stream("i=1");
      assertTrue(second.nextLine().matches("0{2048}"));
      assertEquals(2, broker.peerCount(), "alice must stay registered through the overlap");
      dev.switchboard.support.Await.result(sending);
      first.awaitEnd(); // the server ends the replaced stream
      List<Integer> got = new ArrayList<>();
      String leftover = drain(first, got);
      assertEquals("", leftover, "the old stream ended mid-line");
      while (got.size() < COUNT) {
        got.add(new JsonObject(second.nextLine()).getInteger("payload"));
      }
      for (int i = 0; i < COUNT; i++) {
        assertEquals(i, got.get(i), "message " + i + " lost, repeated or out of order: " + got);
      }
      second.expectNothing(50);
    }
  }

  @Test
  void sequencedRotationResendsWhatTheClientDidNotAcknowledge() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream first = alice.stream("i=0&ack=0");
      assertEquals("[1,{\"type\":\"OPEN\"}]", first.firstMessage());
      for (int i = 0; i < 5; i++) {
        bob.send(new JsonObject().put("type", "CANDIDATE").put("dst", "alice").put("payload", i));
      }
      // The client read OPEN and candidates 0 and 1 (seq 2, 3), then the connection broke.
      assertEquals(2, new JsonArray(first.nextLine()).getLong(0));
      assertEquals(3, new JsonArray(first.nextLine()).getLong(0));
      first.abort();
      XhrPeer.Stream second = alice.stream("i=1&ack=3");
      second.nextLine(); // padding
      for (int i = 2; i < 5; i++) {
        JsonArray line = new JsonArray(second.nextLine());
        assertEquals(i + 2, line.getLong(0));
        assertEquals(i, line.getJsonObject(1).getInteger("payload"));
      }
      bob.send(new JsonObject().put("type", "CANDIDATE").put("dst", "alice").put("payload", 5));
      assertEquals(7, new JsonArray(second.nextLine()).getLong(0));
      assertEquals(2, broker.peerCount());
    }
  }

  private static String drain(XhrPeer.Stream stream, List<Integer> into) {
    String leftover = stream.awaitEnd();
    for (String line : stream.linesSoFar()) {
      if (!line.matches("0{2048}")) {
        into.add(new JsonObject(line).getInteger("payload"));
      }
    }
    return leftover;
  }
}
