package dev.switchboard.webhooks;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.WebhookReceiver;
import dev.switchboard.support.WebhookReceiver.Hit;
import dev.switchboard.support.WebhookReceiver.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.webhooks.WebhookTesting.OLD_SECRET;
import static dev.switchboard.webhooks.WebhookTesting.SECRET;
import static dev.switchboard.webhooks.WebhookTesting.count;
import static dev.switchboard.webhooks.WebhookTesting.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery to a real receiver that verifies every signature: order per resource, retries with backoff,
 * timeouts, Retry-After, 410 Gone, the queue bound and the age limit. Backoff starts at 20 ms here.
 */
@ExtendWith(VertxExtension.class)
class WebhookDeliveryTest {
  private Vertx vertx;
  private WebhookReceiver receiver;
  private Switchboard broker;
  private MeterRegistry registry;

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

  private Webhooks start(dev.switchboard.config.SwitchboardOptions options) {
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    registry = metrics.registry();
    broker = Await.result(Switchboard.start(vertx, options, metrics));
    // The first request of a cold JVM can take longer than the short test timeout: warm both ends up.
    String type = broker.webhooks().sends("call.ringing") ? "call.ringing" : "call.ended";
    broker.webhooks().publish(type, "call:warm-up", new JsonObject());
    receiver.nextDelivered();
    Await.until("warm-up answered", () -> broker.webhooks().queueDepth() == 0, 5);
    receiver.forget();
    return broker.webhooks();
  }

  private static JsonObject seq(String resource, int n) {
    return new JsonObject().put("resource", resource).put("seq", n);
  }

  @Test
  void everyEventArrivesSignedByEverySecretAndInOrderPerResourceThroughFailures() {
    // Rotation: the broker signs with the new and the old secret; this receiver knows only the new one.
    Webhooks hooks = start(options(receiver.url()).set(WebhookSettings.WEBHOOK_SECRET, List.of(SECRET, OLD_SECRET)));
    receiver.answerWith(body -> ThreadLocalRandom.current().nextInt(4) == 0 ? Reply.status(500) : Reply.ok());
    int resources = 8;
    int each = 25;
    for (int n = 0; n < each; n++) {
      for (int r = 0; r < resources; r++) {
        hooks.publish("peer.online", "user:u" + r, seq("u" + r, n));
      }
    }
    Map<String, Integer> next = new HashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < resources * each; i++) {
      Hit hit = receiver.nextDelivered();
      if (!seen.add(hit.id())) {
        i--; // at least once: an answer slower than the timeout is sent again; receivers dedupe by webhook-id
        continue;
      }
      JsonObject data = hit.data();
      int expected = next.getOrDefault(data.getString("resource"), 0);
      assertEquals(expected, data.getInteger("seq"), () -> "out of order for " + data.getString("resource"));
      next.put(data.getString("resource"), expected + 1);
    }
    for (Hit hit : receiver.hits()) {
      assertEquals(2, hit.signatures().size(), hit.signatures()::toString);
      assertEquals("peer.online", hit.type());
    }
    // A retry carries the same webhook-id and body (the receiver's idempotency key).
    Map<String, JsonObject> bodies = new HashMap<>();
    for (Hit hit : receiver.hits()) {
      JsonObject before = bodies.putIfAbsent(hit.id(), hit.body());
      assertTrue(before == null || before.equals(hit.body()), hit.id());
    }
    assertEquals(resources * each, bodies.size());
    Await.until("queue empty", () -> hooks.queueDepth() == 0, 5);
    assertEquals(resources * each, count(registry, "switchboard.webhook.deliveries", "type", "peer.online",
        "outcome", "delivered"));
  }

  @Test
  void aFailedAttemptIsRetriedWithGrowingDelaysAndAResourceWaitsForIt() {
    Webhooks hooks = start(options(receiver.url()));
    receiver.script(Reply.status(500), Reply.status(503), Reply.ok(), Reply.ok(), Reply.ok());
    hooks.publish("call.invited", "call:c1", seq("c1", 0));
    hooks.publish("call.ended", "call:c1", seq("c1", 1));
    assertEquals(0, receiver.nextDelivered().data().getInteger("seq"));
    assertEquals(1, receiver.nextDelivered().data().getInteger("seq"));
    List<Hit> hits = receiver.hits();
    assertEquals(4, hits.size(), hits::toString);
    assertEquals(hits.get(0).id(), hits.get(2).id());
    long first = TimeUnit.NANOSECONDS.toMillis(hits.get(1).receivedNanos() - hits.get(0).receivedNanos());
    long second = TimeUnit.NANOSECONDS.toMillis(hits.get(2).receivedNanos() - hits.get(1).receivedNanos());
    assertTrue(first >= 15, "first retry after 20 ms -20%: " + first);
    assertTrue(second >= 31, "second retry after 40 ms -20%: " + second);
    assertEquals(2, count(registry, "switchboard.webhook.failures", "reason", "status_5xx"));
  }

  @Test
  void aReceiverThatDoesNotAnswerTimesOutAndOthersGoOnMeanwhile() {
    Webhooks hooks = start(options(receiver.url()));
    receiver.script(Reply.silence());
    hooks.publish("call.invited", "call:slow", seq("slow", 0));
    Await.until("first request in", () -> receiver.hits().size() == 1, 5);
    hooks.publish("call.invited", "call:fast", seq("fast", 0));
    assertEquals("fast", receiver.nextDelivered().data().getString("resource"));
    assertEquals("slow", receiver.nextDelivered().data().getString("resource"));
    assertEquals(1, count(registry, "switchboard.webhook.failures", "reason", "timeout"));
  }

  @Test
  void retryAfterIsHonoured() {
    Webhooks hooks = start(options(receiver.url()));
    receiver.script(Reply.retryAfter(429, "1"));
    hooks.publish("call.invited", "call:c1", seq("c1", 0));
    Hit delivered = receiver.nextDelivered();
    long gap = TimeUnit.NANOSECONDS.toMillis(delivered.receivedNanos() - receiver.hits().get(0).receivedNanos());
    assertTrue(gap >= 950, "Retry-After: 1 must beat a 20 ms backoff; retried after " + gap + " ms");
    assertEquals(1, count(registry, "switchboard.webhook.failures", "reason", "status_429"));
  }

  @Test
  void aFailingUrlRestsForEveryResourceNotJustTheFailedOne() {
    Webhooks hooks = start(options(receiver.url()));
    receiver.script(Reply.retryAfter(503, "1"));
    hooks.publish("call.invited", "call:c1", seq("c1", 0));
    Await.until("first attempt failed", () -> count(registry, "switchboard.webhook.failures", "reason", "status_5xx") == 1, 5);
    hooks.publish("call.invited", "call:c2", seq("c2", 0)); // another resource: it waits for the rest too
    Hit first = receiver.nextDelivered();
    Hit second = receiver.nextDelivered();
    long restMs = TimeUnit.NANOSECONDS.toMillis(Math.min(first.receivedNanos(), second.receivedNanos())
        - receiver.hits().get(0).receivedNanos());
    assertTrue(restMs >= 950, "nothing sent to the resting URL for the Retry-After second; sent after " + restMs + " ms");
  }

  @Test
  void gone410DisablesTheUrl() {
    Webhooks hooks = start(options(receiver.url()));
    receiver.script(Reply.status(410));
    hooks.publish("call.invited", "call:c1", seq("c1", 0));
    Await.until("disabled", () -> hooks.disabledEndpoints() == 1, 5);
    hooks.publish("call.invited", "call:c2", seq("c2", 0));
    receiver.expectNoDelivery(Duration.ofMillis(300));
    assertEquals(1, receiver.hits().size());
    assertEquals(1, registry.find("switchboard.webhook.endpoints.disabled").counter().count());
    assertEquals(2, count(registry, "switchboard.webhook.deliveries", "outcome", "disabled"));
  }

  @Test
  void aFullQueueDropsItsOldestEvents() {
    Webhooks hooks = start(options(receiver.url()).set(WebhookSettings.WEBHOOK_QUEUE_SIZE, 3));
    receiver.answerWith(body -> Reply.silence());
    for (int n = 0; n < 5; n++) {
      hooks.publish("peer.online", "user:u" + n, seq("u" + n, n));
    }
    Await.until("five requests in", () -> receiver.hits().size() == 5, 5);
    assertEquals(3, hooks.queueDepth());
    assertEquals(2, count(registry, "switchboard.webhook.deliveries", "outcome", "dropped"));
    receiver.answerWith(body -> Reply.ok());
    java.util.Set<Integer> delivered = new java.util.TreeSet<>();
    for (int n = 2; n < 5; n++) {
      delivered.add(receiver.nextDelivered().data().getInteger("seq"));
    }
    assertEquals(java.util.Set.of(2, 3, 4), delivered);
    Await.until("queue empty", () -> hooks.queueDepth() == 0, 5);
    receiver.expectNoDelivery(Duration.ofMillis(700)); // the two dropped ones are not retried after their timeouts
  }

  @Test
  void anEventTooOldToRetryIsGivenUp() {
    Webhooks hooks = start(options(receiver.url()).set(WebhookSettings.WEBHOOK_MAX_AGE, 300L));
    receiver.answerWith(body -> Reply.status(500));
    hooks.publish("call.invited", "call:c1", seq("c1", 0));
    Await.until("expired", () -> count(registry, "switchboard.webhook.deliveries", "outcome", "expired") == 1, 5);
    assertEquals(0, hooks.queueDepth());
    assertTrue(receiver.hits().size() >= 3, "retried until too old: " + receiver.hits().size());
  }

  @Test
  void onlyKnownTypesAndOnlyTheChosenOnesAreSent() {
    Webhooks hooks = start(options(receiver.url()).set(WebhookSettings.WEBHOOK_EVENTS, List.of("call.ended")));
    assertThrows(IllegalArgumentException.class, () -> hooks.publish("call.exploded", "call:c1", new JsonObject()));
    hooks.publish("call.invited", "call:c1", seq("c1", 0));
    hooks.publish("call.ended", "call:c1", seq("c1", 1));
    Hit hit = receiver.nextDelivered();
    assertEquals("call.ended", hit.type());
    assertEquals(1, receiver.hits().size());
  }
}
