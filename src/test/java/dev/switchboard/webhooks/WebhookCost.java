package dev.switchboard.webhooks;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.WebhookReceiver;
import dev.switchboard.support.WebhookReceiver.Hit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import static dev.switchboard.webhooks.WebhookTesting.SECRET;
import static dev.switchboard.webhooks.WebhookTesting.count;

/**
 * What webhooks cost, on loopback (docs/webhooks.md, "Costs"): the latency from an event to the receiver
 * (publish → request at the receiver, and a peer's OPEN → its peer.online at the receiver), and what a
 * receiver outage costs: queue growth, heap per queued event, drops beyond the bound. A throwaway
 * measurement, run as
 *
 * <pre>mvn -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.switchboard.webhooks.WebhookCost</pre>
 */
public final class WebhookCost {
  private static final int WARMUP = 500;
  private static final int ROUNDS = 2_000;
  private static final int QUEUE = 10_000;

  private WebhookCost() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    WebhookReceiver receiver = WebhookReceiver.start(vertx, SECRET);
    Switchboard broker = Await.result(Switchboard.start(vertx, WebhookTesting.options(receiver.url())
        .set(WebhookSettings.WEBHOOK_TIMEOUT, 10_000L)));
    try {
      latency(broker.webhooks(), receiver);
      onlineLatency(vertx, broker, receiver);
    } finally {
      Await.result(broker.close());
      receiver.close();
    }
    outage(vertx);
    vertx.close();
  }

  private static void latency(Webhooks hooks, WebhookReceiver receiver) {
    long[] micros = new long[ROUNDS];
    for (int i = -WARMUP; i < ROUNDS; i++) {
      long t0 = System.nanoTime();
      hooks.publish("call.invited", "call:c" + i, new JsonObject().put("callId", "c" + i).put("callerPeer", "alice")
          .put("callerUser", "alice").put("calleeUser", "bob").put("inferred", false).put("invitedAt", t0));
      Hit hit = receiver.nextDelivered();
      if (i >= 0) {
        micros[i] = (hit.receivedNanos() - t0) / 1000;
      }
    }
    report("publish → request at the receiver", micros);
  }

  // From the start of a peer's WebSocket connect: to reading its OPEN, and to its peer.online at the receiver.
  private static void onlineLatency(Vertx vertx, Switchboard broker, WebhookReceiver receiver) {
    int rounds = 300;
    long[] open = new long[rounds];
    long[] online = new long[rounds];
    for (int i = -50; i < rounds; i++) {
      long t0 = System.nanoTime();
      try (TestPeer peer = TestPeer.open(vertx, broker.actualPort(), "p" + (i + 50))) {
        long opened = System.nanoTime();
        Hit hit = receiver.nextDelivered("peer.online");
        if (i >= 0) {
          open[i] = (opened - t0) / 1000;
          online[i] = (hit.receivedNanos() - t0) / 1000;
        }
      }
    }
    report("connect → OPEN read at the peer", open);
    report("connect → peer.online at the receiver", online);
  }

  private static void report(String what, long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    System.out.printf("%s: median %d µs, p99 %d µs, max %d µs (%d rounds)%n", what, sorted[sorted.length / 2],
        sorted[(int) (sorted.length * 0.99)], sorted[sorted.length - 1], sorted.length);
  }

  // The receiver is down (its port refuses): events queue, each retried on its own schedule, until the
  // bound drops the oldest.
  private static void outage(Vertx vertx) throws Exception {
    int deadPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    Switchboard broker = Await.result(Switchboard.start(vertx, dev.switchboard.support.Brokers.options()
        .set(WebhookSettings.WEBHOOK_URL, List.of("http://127.0.0.1:" + deadPort + "/hooks"))
        .set(WebhookSettings.WEBHOOK_SECRET, List.of(SECRET)).set(WebhookSettings.WEBHOOK_QUEUE_SIZE, QUEUE), metrics));
    Webhooks hooks = broker.webhooks();
    long before = usedHeap();
    long t0 = System.nanoTime();
    for (int i = 0; i < QUEUE; i++) {
      hooks.publish("peer.online", "user:u" + i, new JsonObject().put("peerId", "u" + i).put("userId", "u" + i)
          .put("transport", "websocket"));
    }
    Await.until("queue full", () -> hooks.queueDepth() == QUEUE, 30);
    long filledMs = (System.nanoTime() - t0) / 1_000_000;
    long after = usedHeap();
    System.out.printf("outage: %d events queued in %d ms; heap +%d bytes = %d bytes per queued event%n", QUEUE,
        filledMs, after - before, (after - before) / QUEUE);
    for (int i = 0; i < QUEUE / 2; i++) {
      hooks.publish("peer.online", "user:v" + i, new JsonObject().put("peerId", "v" + i).put("userId", "v" + i)
          .put("transport", "websocket"));
    }
    Await.until("drops counted", () -> count(metrics.registry(), "switchboard.webhook.deliveries", "outcome", "dropped")
        >= QUEUE / 2, 30);
    Thread.sleep(20_000); // a measurement window, not a synchronisation
    long attempts = (long) count(metrics.registry(), "switchboard.webhook.failures", "reason", "connection");
    System.out.printf("outage: depth %d after %d more events, %d dropped (oldest first); %d failed attempts against "
            + "the dead URL in the first %d s%n", hooks.queueDepth(), QUEUE / 2,
        (long) count(metrics.registry(), "switchboard.webhook.deliveries", "outcome", "dropped"), attempts,
        (System.nanoTime() - t0) / 1_000_000_000L);
    Await.result(broker.close());
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
