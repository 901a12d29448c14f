package dev.switchboard.routing;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.support.FakeLink;
import dev.switchboard.support.ManualClock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames reach the handler registered for their type, which acts through the Broker; listeners hear after locks. */
class MessageHandlerRoutingTest {
  private final ManualClock clock = new ManualClock();
  private final LocalPeerDirectory directory = new LocalPeerDirectory(TakeoverRule.SAME_TOKEN, 100);
  private final OfflineMailbox mailbox = new OfflineMailbox(3, 100);
  private final List<String> events = new ArrayList<>();
  private final MessageHandlers handlers = new MessageHandlers();
  private final SignalRouter router = new SignalRouter(directory, mailbox, clock, 5000, 90_000, new BrokerListener() {
    @Override
    public void peerDisconnected(PeerLink peer, CloseReason reason) {
      events.add("disconnected " + peer.id() + " " + reason + (Thread.holdsLock(mailbox.lockFor(peer.id())) ? " under lock" : ""));
    }

    @Override
    public void messageRelayed(PeerLink from, MessageType type, String dst) {
      events.add("relayed " + type + " " + from.id() + "->" + dst);
    }
  }, RemotePeers.NONE, handlers);

  private FakeLink connect(FakeLink link) {
    assertTrue(router.connect(link).result());
    return link;
  }

  private FakeLink connect(String id) {
    return connect(new FakeLink(id, "t", clock.millis()));
  }

  private void send(FakeLink from, String json) {
    router.receive(from, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anApplicationTypeReachesItsHandlerWhichAnswersAnotherPeer() {
    handlers.register("MY-PING", (from, frame, broker) -> {
      JsonObject payload = frame.payload();
      assertTrue(broker.send(frame.dst(), "MY-PONG", payload.put("from", from.id())));
    });
    FakeLink alice = connect("alice");
    FakeLink bob = connect("bob");
    send(alice, "{\"type\":\"MY-PING\",\"dst\":\"bob\",\"payload\":{\"n\":1,\"s\":\"é\"}}");
    assertEquals(List.of("{\"type\":\"OPEN\"}", "{\"type\":\"MY-PONG\",\"payload\":{\"n\":1,\"s\":\"é\",\"from\":\"alice\"}}"),
        bob.sent);
    assertEquals(List.of("{\"type\":\"OPEN\"}"), alice.sent);
  }

  @Test
  void typesWithoutAHandlerAndServerOnlyTypesFromAClientAreDropped() {
    FakeLink alice = connect("alice");
    FakeLink bob = connect("bob");
    for (String type : new String[] {"MY-PING", "OPEN", "ERROR", "ID-TAKEN", "offer"}) {
      send(alice, "{\"type\":\"" + type + "\",\"dst\":\"bob\",\"payload\":{}}");
    }
    assertEquals(List.of("{\"type\":\"OPEN\"}"), bob.sent);
    assertEquals(List.of("{\"type\":\"OPEN\"}"), alice.sent);
    assertNull(alice.closedWith);
  }

  @Test
  void aReplacedDefaultCanWrapIt() {
    List<String> seen = new ArrayList<>();
    MessageHandler relay = handlers.handler("OFFER");
    handlers.register("OFFER", (from, frame, broker) -> {
      seen.add(from.id() + "->" + frame.dst());
      relay.handle(from, frame, broker);
    });
    FakeLink alice = connect("alice");
    FakeLink bob = connect("bob");
    send(alice, "{\"type\":\"OFFER\",\"dst\":\"bob\"}");
    assertEquals(List.of("alice->bob"), seen);
    assertEquals("{\"type\":\"OFFER\",\"dst\":\"bob\",\"src\":\"alice\"}", bob.sent.get(1));
    assertEquals(List.of("relayed OFFER alice->bob"), events);
  }

  @Test
  void anApplicationTypeCanUsePeerServersRelayButIsNeverQueued() {
    handlers.register("MY-SIGNAL", PeerServerHandlers.RELAY);
    FakeLink alice = connect("alice");
    send(alice, "{\"type\":\"MY-SIGNAL\",\"dst\":\"bob\",\"payload\":{}}");
    FakeLink bob = connect("bob");
    send(alice, "{\"type\":\"MY-SIGNAL\",\"dst\":\"bob\",\"payload\":{}}");
    assertEquals(List.of("{\"type\":\"OPEN\"}", "{\"type\":\"MY-SIGNAL\",\"dst\":\"bob\",\"payload\":{},\"src\":\"alice\"}"), bob.sent);
    assertEquals(List.of("relayed MY-SIGNAL alice->bob"), events);
    send(alice, "{\"type\":\"MY-SIGNAL\",\"payload\":{}}");
    assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid message: dst missing\"}}", alice.sent.get(1));
  }

  @Test
  void brokerMessagesKeepToPeerJsRules() {
    Broker broker = router.broker();
    connect("bob");
    assertThrows(IllegalArgumentException.class, () -> broker.send("bob", "OFFER", new JsonObject()));
    assertThrows(IllegalArgumentException.class, () -> broker.send("bob", "ERROR", new JsonObject()));
    assertThrows(IllegalArgumentException.class, () -> broker.send("bob", "INVALID-KEY", new JsonObject()));
    assertThrows(NullPointerException.class, () -> broker.send("bob", "MY-TYPE", null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> broker.send("bob", "MY-TYPE", new JsonObject().put("connectionId", "dc_1")));
    assertTrue(e.getMessage().contains("connectionId"), e.getMessage());
    assertFalse(broker.send("carol", "MY-TYPE", new JsonObject()), "an absent peer gets nothing, nothing is queued");
    assertEquals(0, mailbox.total());
  }

  @Test
  void lookupAndEndByIdAndClock() {
    Broker broker = router.broker();
    FakeLink bob = connect("bob");
    assertSame(bob, broker.lookup("bob").link());
    assertTrue(broker.lookup("bob").isHere());
    assertSame(PeerLocation.NOWHERE, broker.lookup("carol"));
    assertSame(clock, broker.clock());
    assertTrue(broker.end("bob", CloseReason.SUPERSEDED));
    assertEquals(CloseReason.SUPERSEDED, bob.closedWith);
    assertFalse(broker.end("bob", CloseReason.SUPERSEDED));
    assertEquals(List.of("disconnected bob SUPERSEDED"), events);
  }

  @Test
  void aForwardedMessageOfATypeThisNodeDoesNotKnowIsDeliveredOrDroppedNeverQueued() {
    FakeLink bob = connect("bob");
    byte[] message = "{\"type\":\"NEWER-TYPE\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    // Order stamps are the sending node's clock in microseconds: these were sent just now.
    long now = clock.millis() * 1000;
    router.deliverForwarded("alice", MessageType.of("NEWER-TYPE"), "bob", message, now);
    router.deliverForwarded("alice", MessageType.of("NEWER-TYPE"), "carol", message, now + 1);
    assertEquals(List.of("{\"type\":\"OPEN\"}", "{\"type\":\"NEWER-TYPE\",\"payload\":{}}"), bob.sent);
    assertEquals(0, mailbox.total());
  }

  // A peer too slow to take its queued messages is ended by the write itself, while the hand-over holds
  // the peer's mailbox lock: listeners, which may call the Broker, hear of it after the lock is let go.
  @Test
  void aPeerEndedUnderAMailboxLockIsReportedAfterTheLockIsLetGo() {
    FakeLink alice = connect("alice");
    send(alice, "{\"type\":\"OFFER\",\"dst\":\"bob\"}");
    SlowLink slowBob = new SlowLink("bob");
    router.connect(slowBob);
    assertEquals(CloseReason.SLOW_CONSUMER, slowBob.closedWith);
    assertEquals("disconnected bob SLOW_CONSUMER", events.get(0));
  }

  /** Takes OPEN, then finds its client too slow for the next message and ends itself, as transports do. */
  private final class SlowLink extends AbstractPeerLink {
    final List<String> sent = new ArrayList<>();
    volatile CloseReason closedWith;

    SlowLink(String id) {
      super(id, "t", "test", clock.millis());
    }

    @Override
    public String transport() {
      return "slow";
    }

    @Override
    public boolean send(byte[] message) {
      if (!sent.isEmpty()) {
        router.end(this, CloseReason.SLOW_CONSUMER);
        return false;
      }
      sent.add(new String(message, StandardCharsets.UTF_8));
      return true;
    }

    @Override
    protected void doClose(CloseReason reason) {
      closedWith = reason;
    }
  }

  @Test
  void payloadIsReadOnlyWhenAsked() {
    ClientFrame[] got = new ClientFrame[1];
    handlers.register("ROOM-JOIN", (from, frame, broker) -> got[0] = frame);
    FakeLink alice = connect("alice");
    send(alice, "{\"type\":\"ROOM-JOIN\",\"payload\":{\"room\":\"r1\",\"n\":[1,2]}}");
    assertNull(got[0].dst());
    assertEquals(new JsonObject().put("room", "r1").put("n", new io.vertx.core.json.JsonArray().add(1).add(2)), got[0].payload());
    send(alice, "{\"type\":\"ROOM-JOIN\",\"payload\":7}");
    assertNull(got[0].payload());
    send(alice, "{\"type\":\"ROOM-JOIN\"}");
    assertNull(got[0].payload());
  }
}
