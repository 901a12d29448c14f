package dev.switchboard.webhooks;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.WebhookReceiver;
import dev.switchboard.support.WebhookReceiver.Hit;
import dev.switchboard.support.WebhookReceiver.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.webhooks.WebhookTesting.SECRET;
import static dev.switchboard.webhooks.WebhookTesting.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wake-up of an offline callee over real sockets, with a real receiver standing in for a push service. */
@ExtendWith(VertxExtension.class)
class WakeUpTest {
  private Vertx vertx;
  private WebhookReceiver receiver;
  private Switchboard broker;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    receiver = WebhookReceiver.start(vertx, SECRET);
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      Await.result(broker.close());
    }
    receiver.close();
    assertEquals(List.of(), receiver.problems());
  }

  private int startBroker(dev.switchboard.config.SwitchboardOptions options) {
    broker = Brokers.start(vertx, options);
    return broker.actualPort();
  }

  private static void send(TestPeer peer, String type, JsonObject payload) {
    peer.send(new JsonObject().put("type", type).put("payload", payload));
  }

  private static JsonObject payload(TestPeer peer, String type) {
    return peer.expectType(type).getJsonObject("payload");
  }

  @Test
  void anOfflineCalleeIsWokenAndItsDeviceRingsRightAfterOpen() {
    int port = startBroker(options(receiver.url()));
    receiver.answerWith(body -> "callee.wakeup".equals(body.getString("type")) ? Reply.json("{\"pushed\":true}") : Reply.ok());
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "w-1").put("media", "video"));
      assertEquals(new JsonObject().put("callId", "w-1").put("devices", 0).put("woken", true), payload(alice, "CALL-TRYING"));
      Hit wakeup = receiver.nextDelivered("callee.wakeup");
      assertEquals(new JsonObject().put("reason", "call").put("callId", "w-1").put("user", "bob").put("fromUser", "alice"),
          wakeup.data());
      // The push woke bob's app: it connects and is rung at once, before anything else.
      try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "token-bob")) {
        bob.expectType("OPEN");
        JsonObject incoming = payload(bob, "CALL-INCOMING");
        assertEquals("w-1", incoming.getString("callId"));
        assertEquals("alice", incoming.getString("from"));
        assertEquals("video", incoming.getString("media"));
        send(bob, "CALL-ACCEPT", new JsonObject().put("callId", "w-1"));
        assertEquals(new JsonObject().put("callId", "w-1").put("peer", "bob"), payload(alice, "CALL-ACCEPTED"));
        assertEquals(new JsonObject().put("callId", "w-1").put("peer", "alice"), payload(bob, "CALL-ACCEPTED"));
      }
    }
  }

  @Test
  void aReceiverThatCouldNotPushEndsTheCallUnavailableAtOnce() {
    int port = startBroker(options(receiver.url()));
    receiver.answerWith(body -> "callee.wakeup".equals(body.getString("type")) ? Reply.json("{\"pushed\":false}") : Reply.ok());
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      long start = System.nanoTime();
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "w-2"));
      assertTrue(payload(alice, "CALL-TRYING").getBoolean("woken"));
      assertEquals(new JsonObject().put("callId", "w-2").put("reason", "unavailable"), payload(alice, "CALL-ENDED"));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMs < 5_000, "ended at once, not after the 60 s ring time: " + tookMs + " ms");
      assertEquals("unavailable", receiver.nextDelivered("call.ended").data().getString("reason"));
    }
  }

  @Test
  void aFailingReceiverEndsTheCallUnavailableAfterTheWakeUpDeadline() {
    int port = startBroker(options(receiver.url()).set(WebhookSettings.WEBHOOK_WAKEUP_DEADLINE, 400L));
    receiver.answerWith(body -> "callee.wakeup".equals(body.getString("type")) ? Reply.status(503) : Reply.ok());
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "w-3"));
      payload(alice, "CALL-TRYING");
      assertEquals("unavailable", payload(alice, "CALL-ENDED").getString("reason"));
      long wakeups = receiver.hits().stream().filter(h -> "callee.wakeup".equals(h.type())).count();
      assertTrue(wakeups >= 2, "a few quick retries before giving up: " + wakeups);
    }
  }

  @Test
  void aSilentReceiverCannotHoldTheCallPastTheWakeUpDeadline() {
    int port = startBroker(options(receiver.url()).set(WebhookSettings.WEBHOOK_TIMEOUT, 30_000L)
        .set(WebhookSettings.WEBHOOK_WAKEUP_DEADLINE, 500L));
    receiver.answerWith(body -> "callee.wakeup".equals(body.getString("type")) ? Reply.silence() : Reply.ok());
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      long start = System.nanoTime();
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "w-5"));
      payload(alice, "CALL-TRYING");
      assertEquals("unavailable", payload(alice, "CALL-ENDED").getString("reason"));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMs < 3_000, "the 500 ms deadline bounds the request, not the 30 s webhook_timeout: " + tookMs);
    }
  }

  @Test
  void withoutAWakeUpTypeACallToNobodyIsUnavailableAsBefore() {
    int port = startBroker(options(receiver.url()).set(WebhookSettings.WEBHOOK_EVENTS, List.of("call.ended")));
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "w-4"));
      assertEquals("unavailable", payload(alice, "CALL-ENDED").getString("reason"));
    }
  }

  private int startOfferBroker(ManualClock clock) {
    broker = Brokers.start(vertx, options(receiver.url()).set(WebhookSettings.WAKEUP_ON_OFFER, true)
        .setExpireTimeout(1_000), clock);
    return broker.actualPort();
  }

  private static final String OFFER = "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"type\":\"media\","
      + "\"connectionId\":\"mc_1\",\"sdp\":{}}}";

  @Test
  void aQueuedOfferWakesThePeerAndWaitsTheRingTimeForIt() {
    ManualClock clock = new ManualClock();
    int port = startOfferBroker(clock);
    receiver.answerWith(body -> Reply.json("{\"pushed\":true}"));
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send(OFFER);
      Hit wakeup = receiver.nextDelivered("callee.wakeup");
      assertEquals("offer", wakeup.data().getString("reason"));
      assertEquals("bob", wakeup.data().getString("peer"));
      assertEquals("alice", wakeup.data().getString("fromPeer"));
      Await.until("wake-up answered", () -> broker.webhooks().queueDepth() == 0, 5);
      clock.advance(30_000); // far past expire_timeout (1 s), within the ring time (60 s)
      alice.expectNothing(Duration.ofMillis(800)); // four mailbox sweeps: no EXPIRE
      try (TestPeer bob = TestPeer.connect(vertx, port, "bob", "token-bob")) {
        bob.expectType("OPEN");
        assertEquals("mc_1", bob.expectType("OFFER").getJsonObject("payload").getString("connectionId"));
      }
    }
  }

  @Test
  void aQueuedOfferWhosePeerCouldNotBeWokenExpiresAsUsual() {
    ManualClock clock = new ManualClock();
    int port = startOfferBroker(clock);
    receiver.answerWith(body -> Reply.json("{\"pushed\":false}"));
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send(OFFER);
      receiver.nextDelivered("callee.wakeup");
      Await.until("wake-up answered", () -> broker.webhooks().queueDepth() == 0, 5);
      clock.advance(2_000);
      assertEquals("bob", alice.expectType("EXPIRE").getString("src"));
    }
  }
}
