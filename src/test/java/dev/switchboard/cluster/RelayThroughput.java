package dev.switchboard.cluster;

import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HttpGet;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures relay between two peers on one node against two peers on different nodes of an in-JVM
 * cluster of two (loopback, one process): messages per second with a window of messages in flight,
 * and round-trip latency of one message at a time. Prints the figures; asserts nothing.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.switchboard.cluster.RelayThroughput</pre>
 */
public final class RelayThroughput {
  private static final int MESSAGES = Integer.getInteger("messages", 100_000);
  private static final int WINDOW = 500;
  private static final int ROUND_TRIPS = 2_000;
  private static final String PAYLOAD = "{\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.20 54321 typ host generation 0\","
      + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";

  private RelayThroughput() {
  }

  public static void main(String[] args) throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(o -> o.setMaxQueuePerPeer(100_000).setAllowDiscovery(true)).start(2)) {
      Vertx client = Vertx.vertx();
      int a = cluster.node(0).port();
      int b = cluster.node(1).port();
      measure(client, "warm-up local", a, a, MESSAGES / 4);
      measure(client, "warm-up cross-node", a, b, MESSAGES / 4);
      measure(client, "local (both peers on node A)", a, a, MESSAGES);
      measure(client, "cross-node (A -> B)", a, b, MESSAGES);
      client.close();
    }
    System.exit(0);
  }

  private static void measure(Vertx client, String label, int senderPort, int receiverPort, int messages) throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    AtomicInteger received = new AtomicInteger();
    CompletableFuture<Void>[] echo = new CompletableFuture[1];
    WebSocket receiver = connect(client, receiverPort, "rx" + run);
    WebSocket sender = connect(client, senderPort, "tx" + run);
    receiver.textMessageHandler(text -> {
      if (text.contains("\"OFFER\"")) {
        receiver.writeTextMessage("{\"type\":\"ANSWER\",\"dst\":\"tx" + run + "\",\"payload\":{}}");
      } else {
        received.incrementAndGet();
      }
    });
    sender.textMessageHandler(text -> {
      if (text.contains("\"ANSWER\"") && echo[0] != null) {
        echo[0].complete(null);
      }
    });
    // The sender's node must know where the receiver is (a map event) before the clock starts.
    Eventually.await(Duration.ofSeconds(5), () -> HttpGet.peers(senderPort).contains("rx" + run), () -> "rx not listed");
    String frame = "{\"type\":\"CANDIDATE\",\"dst\":\"rx" + run + "\",\"payload\":" + PAYLOAD + "}";
    long start = System.nanoTime();
    for (int sent = 0; sent < messages; ) {
      int batch = Math.min(WINDOW, messages - sent);
      for (int i = 0; i < batch; i++) {
        sender.writeTextMessage(frame);
      }
      sent += batch;
      while (received.get() < sent - WINDOW) {
        Thread.onSpinWait();
      }
    }
    while (received.get() < messages) {
      Thread.onSpinWait();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] rtt = new long[ROUND_TRIPS];
    String offer = "{\"type\":\"OFFER\",\"dst\":\"rx" + run + "\",\"payload\":{}}";
    for (int i = 0; i < ROUND_TRIPS; i++) {
      echo[0] = new CompletableFuture<>();
      long t = System.nanoTime();
      sender.writeTextMessage(offer);
      echo[0].get(5, TimeUnit.SECONDS);
      rtt[i] = System.nanoTime() - t;
    }
    Arrays.sort(rtt);
    System.out.printf("%-32s %,10.0f msg/s   round trip p50 %6.0f us  p99 %6.0f us%n", label, messages / seconds,
        rtt[ROUND_TRIPS / 2] / 1e3, rtt[ROUND_TRIPS * 99 / 100] / 1e3);
    sender.close();
    receiver.close();
  }

  private static WebSocket connect(Vertx client, int port, String id) {
    WebSocketClient ws = client.createWebSocketClient();
    return Await.result(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/peerjs?key=peerjs&id=" + id + "&token=t")));
  }
}
