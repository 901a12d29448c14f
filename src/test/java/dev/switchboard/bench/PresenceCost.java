package dev.switchboard.bench;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.presence.PresenceSettings;
import io.vertx.core.Vertx;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cost of presence (docs/rooms-presence.md#cost), not a test: one broker, N raw WebSocket watchers
 * of one user on loopback (the JDK's client, so the broker's Vert.x threads do only the broker's work),
 * the user changing its status K times, each change awaited at every watcher before the next. Prints
 * the bytes of a change frame, and the broker's CPU (its Vert.x threads, ThreadMXBean) per change and
 * per watcher. Run: {@code mvn -o -q test-compile exec:java -Dexec.mainClass=dev.switchboard.bench.PresenceCost
 * -Dexec.classpathScope=test} or from an IDE; arguments: the N values (default 10 100 1000).
 */
public final class PresenceCost {
  private static final int CHANGES = 300;
  private static final int WARMUP = 100;

  private PresenceCost() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String arg : args) {
      sizes.add(Integer.parseInt(arg));
    }
    if (sizes.isEmpty()) {
      sizes.addAll(List.of(10, 100, 1000));
    }
    System.out.println("watchers  bytes/frame  broker CPU µs/change  µs/change/watcher");
    for (int n : sizes) {
      measure(n);
    }
    System.exit(0);
  }

  /** A watcher: counts PRESENCE frames and remembers the size of the last. */
  private static final class Watcher implements WebSocket.Listener {
    final AtomicReference<CountDownLatch> expected = new AtomicReference<>(new CountDownLatch(1));
    final AtomicLong lastBytes = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        if (frame.contains("\"PRESENCE\"")) {
          lastBytes.set(frame.getBytes(StandardCharsets.UTF_8).length);
          expected.get().countDown();
        }
      }
      socket.request(1);
      return null;
    }
  }

  private static void measure(int n) throws Exception {
    Vertx vertx = Vertx.vertx();
    SwitchboardOptions options = new SwitchboardOptions().setHost("127.0.0.1").setPort(0).setEventLoops(2)
        .setAllowDiscovery(true).setConcurrentLimit(n + 10).set(PresenceSettings.PRESENCE_BATCH, 0L);
    Switchboard broker = Switchboard.start(vertx, options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HttpClient http = HttpClient.newHttpClient();
    String base = "ws://127.0.0.1:" + broker.actualPort() + "/peerjs?key=peerjs&version=1.5.5";
    List<Watcher> watchers = new ArrayList<>();
    List<WebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Watcher watcher = new Watcher();
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(base + "&id=w" + i + "&token=t"), watcher).get();
      socket.sendText("{\"type\":\"PRESENCE-WATCH\",\"payload\":{\"users\":[\"bob\"]}}", true).get();
      watchers.add(watcher);
      sockets.add(socket);
    }
    for (Watcher watcher : watchers) {
      watcher.expected.get().await(30, TimeUnit.SECONDS); // the snapshot
    }
    WebSocket bob = http.newWebSocketBuilder().buildAsync(URI.create(base + "&id=bob&token=t"), new Watcher()).get();
    change(bob, watchers, WARMUP, 0);
    long before = brokerCpuNanos();
    change(bob, watchers, CHANGES, WARMUP);
    long cpu = brokerCpuNanos() - before;
    double perChange = cpu / 1000.0 / CHANGES;
    System.out.printf("%8d  %11d  %20.1f  %17.2f%n", n, watchers.get(0).lastBytes.get(), perChange, perChange / n);
    sockets.forEach(s -> s.abort());
    bob.abort();
    broker.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  // Each change is awaited at every watcher, so each is one frame per watcher (no batching across changes).
  private static void change(WebSocket bob, List<Watcher> watchers, int count, int offset) throws Exception {
    for (int i = 0; i < count; i++) {
      for (Watcher watcher : watchers) {
        watcher.expected.set(new CountDownLatch(1));
      }
      String status = i % 2 == 0 ? "away" : "online";
      bob.sendText("{\"type\":\"PRESENCE-SET\",\"payload\":{\"status\":\"" + status + "\",\"note\":\"n" + (offset + i)
          + "\"}}", true).get();
      for (Watcher watcher : watchers) {
        if (!watcher.expected.get().await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a watcher missed change " + i);
        }
      }
    }
  }

  private static long brokerCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("vert.x-")) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }
}
