package dev.switchboard;

import dev.switchboard.routing.MessageHandler;
import dev.switchboard.routing.PeerLocation;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/extending.md's examples, on a real broker: an application's own type, a wrapped default, XHR. */
@ExtendWith(VertxExtension.class)
class ExtendingTest {

  // The example of docs/extending.md: a client asks the broker to ping another peer.
  private static void pingAnswersTheOtherPeer(Switchboard broker) {
    broker.handle("MY-PING", (from, frame, b) -> {
      JsonObject payload = frame.payload() == null ? new JsonObject() : frame.payload();
      if (frame.dst() == null || !b.send(frame.dst(), "MY-PONG", payload.put("from", from.id()))) {
        b.send(from.id(), "MY-PING-FAILED", new JsonObject().put("peer", frame.dst()));
      }
    });
  }

  @Test
  void aClientsOwnTypeIsHandledAndAnswersAnotherPeer(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    pingAnswersTheOtherPeer(broker);
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice");
         TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      alice.send("{\"type\":\"MY-PING\",\"dst\":\"bob\",\"payload\":{\"text\":\"hi\"}}");
      assertEquals("{\"type\":\"MY-PONG\",\"payload\":{\"text\":\"hi\",\"from\":\"alice\"}}", bob.nextText());
      alice.send("{\"type\":\"MY-PING\",\"dst\":\"carol\"}");
      assertEquals("{\"type\":\"MY-PING-FAILED\",\"payload\":{\"peer\":\"carol\"}}", alice.nextText());
      assertTrue(broker.broker().lookup("bob").isHere());
      assertEquals(PeerLocation.NOWHERE, broker.broker().lookup("carol"));
      // A type nobody registered is still dropped, as PeerServer drops it.
      alice.send("{\"type\":\"MY-OTHER\",\"dst\":\"bob\",\"payload\":{}}");
      bob.expectNothing(Duration.ofMillis(200));
    }
  }

  @Test
  void aWrappedDefaultSeesOffersWhichStillArrive(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    List<String> offers = new CopyOnWriteArrayList<>();
    MessageHandler relay = broker.messageHandlers().handler("OFFER");
    broker.handle("OFFER", (from, frame, b) -> {
      offers.add(from.id() + "->" + frame.dst());
      relay.handle(from, frame, b);
    });
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice");
         TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":\"v=0\"}}");
      assertEquals("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":\"v=0\"},\"src\":\"alice\"}", bob.nextText());
      assertEquals(List.of("alice->bob"), offers);
    }
  }

  @Test
  void serverOnlyTypesAreRefusedAtRegistration(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> broker.handle("OPEN", (from, frame, b) -> { }));
    assertTrue(e.getMessage().contains("is the server's to send"), e.getMessage());
  }

  @Test
  void anXhrPeerPostsItsOwnTypeToThatTypesPath(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    pingAnswersTheOtherPeer(broker);
    XhrPeer alice = XhrPeer.of(vertx, broker.actualPort(), "alice");
    XhrPeer.Stream stream = alice.stream("i=0");
    assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
    try (TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      assertEquals(200, alice.post("my-ping", "{\"type\":\"MY-PING\",\"dst\":\"bob\",\"payload\":{}}").status());
      assertEquals("{\"type\":\"MY-PONG\",\"payload\":{\"from\":\"alice\"}}", bob.nextText());
      assertEquals(404, alice.post("my-other", "{\"type\":\"MY-OTHER\",\"dst\":\"bob\",\"payload\":{}}").status());
    }
    stream.abort();
  }
}
