package dev.switchboard.bench;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** The scenarios; each runs against a fresh server process and returns its figures. */
final class Scenarios {
  private final BenchConfig config;
  private final LoadClient client;
  private final StormConnector connector;
  private int runs;

  Scenarios(BenchConfig config, LoadClient client, StormConnector connector) {
    this.config = config;
    this.client = client;
    this.connector = connector;
  }

  private String prefix() {
    return "r" + (++runs) + "x";
  }

  static String token(String id) {
    return "t" + Integer.toHexString(id.hashCode());
  }

  /**
   * N pairs ping-pong OFFER/ANSWER, W in flight per pair, as fast as the server returns them: a reply
   * goes out as soon as a message arrives. Saturation throughput, its latency, and CPU per message.
   */
  Result relay(ServerProcess server) throws Exception {
    return relay(server, server, List.of(server));
  }

  /**
   * The saturation relay with each pair's "a" peer on {@code nodeA} and its "b" peer on {@code nodeB}
   * (the same server for the local relay, two cluster nodes for the cross-node one). Server figures
   * (CPU, RSS) are summed over {@code measured}. With two nodes, every peer is first awaited in both
   * nodes' directories ({@code GET /peerjs/peers}, needs {@code --allow_discovery}), so that no
   * message of the closed loop is sent before the receiving peer is known where it is sent from.
   */
  Result relay(ServerProcess nodeA, ServerProcess nodeB, List<ServerProcess> measured) throws Exception {
    String p = prefix();
    List<LoadClient.Peer> peers = new ArrayList<>();
    Result failed = openPairs(nodeA, nodeB, p, config.pairs, peers);
    if (failed != null) {
      return failed;
    }
    if (nodeA != nodeB) {
      List<String> ids = new ArrayList<>();
      for (LoadClient.Peer peer : peers) {
        ids.add(peer.id);
      }
      try {
        awaitListed(nodeA, ids);
        awaitListed(nodeB, ids);
      } catch (Exception e) {
        LoadClient.closeAll(peers);
        return Result.unavailable(e.getMessage());
      }
    }
    Map<String, LoadClient.Peer> byId = byId(peers);
    Recorder latency = new Recorder(3);
    LongAdder received = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    for (int i = 0; i < config.pairs; i++) {
      LoadClient.Peer a = byId.get(p + i + "a");
      LoadClient.Peer b = byId.get(p + i + "b");
      Messages offer = Messages.of("OFFER", b.id, config.payload);
      Messages answer = Messages.of("ANSWER", a.id, config.payload);
      // a receives answers and sends offers; b the other way round
      a.onMessage = data -> {
        if (running.get()) {
          record(data, answer.stampOffset(), latency, received);
          a.send(offer.stamped(System.nanoTime()));
        }
      };
      b.onMessage = data -> {
        if (running.get()) {
          record(data, offer.stampOffset(), latency, received);
          b.send(answer.stamped(System.nanoTime()));
        }
      };
      a.context.runOnContext(v -> {
        for (int w = 0; w < config.window; w++) {
          a.send(offer.stamped(System.nanoTime()));
        }
      });
    }
    Result result = measure(measured, latency, received);
    running.set(false);
    LoadClient.closeAll(peers);
    result.note = config.pairs + " pairs, " + config.window + " in flight per pair, " + config.payload + " B frames";
    return result;
  }

  /**
   * Open loop at a fixed rate: every event loop of the generator sends its share on a 1 ms timer,
   * whatever comes back, alternating senders; latency is from the send to the arrival.
   */
  Result fixedRate(ServerProcess server) throws Exception {
    String p = prefix();
    List<LoadClient.Peer> peers = new ArrayList<>();
    Result failed = openPairs(server, p, config.fixedPairs, peers);
    if (failed != null) {
      return failed;
    }
    Map<String, LoadClient.Peer> byId = byId(peers);
    Recorder latency = new Recorder(3);
    LongAdder received = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    Map<Context, List<LoadClient.Peer>> senders = new HashMap<>();
    Map<LoadClient.Peer, Messages> frames = new HashMap<>();
    for (int i = 0; i < config.fixedPairs; i++) {
      LoadClient.Peer a = byId.get(p + i + "a");
      LoadClient.Peer b = byId.get(p + i + "b");
      Messages offer = Messages.of("OFFER", b.id, config.payload);
      Messages answer = Messages.of("ANSWER", a.id, config.payload);
      frames.put(a, offer);
      frames.put(b, answer);
      a.onMessage = data -> record(data, answer.stampOffset(), latency, received);
      b.onMessage = data -> record(data, offer.stampOffset(), latency, received);
      senders.computeIfAbsent(a.context, c -> new ArrayList<>()).add(a);
      senders.computeIfAbsent(b.context, c -> new ArrayList<>()).add(b);
    }
    double perLoop = (double) config.rate / senders.size();
    senders.forEach((context, group) -> context.runOnContext(v -> {
      long start = System.nanoTime();
      long[] sent = {0};
      client.vertx().setPeriodic(1, timer -> {
        if (!running.get()) {
          client.vertx().cancelTimer(timer);
          return;
        }
        long due = (long) ((System.nanoTime() - start) * perLoop / 1e9);
        while (sent[0] < due) {
          LoadClient.Peer from = group.get((int) (sent[0] % group.size()));
          from.send(frames.get(from).stamped(System.nanoTime()));
          sent[0]++;
        }
      });
    }));
    Result result = measure(List.of(server), latency, received);
    running.set(false);
    LoadClient.closeAll(peers);
    result.note = "offered " + config.rate + " msgs/s over " + config.fixedPairs + " pairs";
    return result;
  }

  /** Opens connections as fast as the server takes them, a fixed number in flight; counts to OPEN. */
  Result connectStorm(ServerProcess server, ConnectAuth auth) throws Exception {
    String p = prefix();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < config.connects; i++) {
      ids.add(p + "c" + i);
    }
    // Warm both servers alike (JIT, pools) with connections that are not measured, in batches that the
    // open-files limit allows. Code run once per connection reaches C2 only after thousands of them.
    for (int done = 0; done < config.connectWarmup; ) {
      List<String> warm = new ArrayList<>();
      for (int i = 0; i < Math.min(config.connects, config.connectWarmup - done); i++) {
        warm.add(p + "w" + (done + i));
      }
      done += warm.size();
      StormConnector.closeAll(connector.connectAll(server.port(), warm, auth::token, config.connectConcurrency,
          nanos -> { }).channels());
    }
    Recorder toOpen = new Recorder(3);
    long[] split0 = server.cpuSplitMicros();
    long cpu0 = split0[0] + split0[1];
    long ownCpu0 = ServerProcess.cpuMicros(ProcessHandle.current().pid());
    long start = System.nanoTime();
    StormConnector.Opened opened = connector.connectAll(server.port(), ids, auth::token, config.connectConcurrency,
        toOpen::recordValue);
    long elapsed = System.nanoTime() - start;
    long[] split1 = server.cpuSplitMicros();
    long cpu = split1[0] + split1[1] - cpu0;
    long systemCpu = split1[1] - split0[1];
    long ownCpu = ServerProcess.cpuMicros(ProcessHandle.current().pid()) - ownCpu0;
    StormConnector.closeAll(opened.channels());
    Histogram h = toOpen.getIntervalHistogram();
    int ok = opened.channels().size();
    Result result = new Result()
        .put("opens/s", ok / (elapsed / 1e9))
        .put("p50 ms", h.getValueAtPercentile(50) / 1e6)
        .put("p99 ms", h.getValueAtPercentile(99) / 1e6)
        .put("server CPU µs/open", ok == 0 ? 0 : (double) cpu / ok)
        .put("server sys %", cpu == 0 ? 0 : 100.0 * systemCpu / cpu)
        .put("generator cores", ownCpu / 1e6 / (elapsed / 1e9))
        .put("failed", opened.failures());
    result.note = config.connects + " connections after " + config.connectWarmup + " unmeasured, "
        + config.connectConcurrency + " in flight"
        + (opened.failures() > 0 ? "; first failure: " + opened.firstFailure() : "");
    return result;
  }

  /**
   * Memory per idle peer: heap (after a full GC, Java servers only) and RSS of the server before and
   * after {@code count} peers connect and sit idle.
   */
  Result idle(ServerProcess server, int count) throws Exception {
    long serverFiles = server.maxOpenFiles();
    long ownFiles = ownMaxOpenFiles();
    if (count + 500 > serverFiles || count + 500 > ownFiles) {
      return Result.unavailable(String.format("%d peers need %d sockets in each process but the open-files limit is"
          + " %d (server) / %d (generator); this machine's hard limit cannot be raised (no CAP_SYS_RESOURCE)",
          count, count, serverFiles, ownFiles));
    }
    String p = prefix();
    // Warm the accept path, then take the baseline.
    List<String> warm = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      warm.add(p + "w" + i);
    }
    StormConnector.closeAll(connector.connectAll(server.port(), warm, Scenarios::token, 100, nanos -> { }).channels());
    Thread.sleep(1000);
    OptionalLong heap0 = server.heapAfterGcKiB();
    long rss0 = server.rssKiB();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(p + "i" + i);
    }
    StormConnector.Opened opened = connector.connectAll(server.port(), ids, Scenarios::token, 256, nanos -> { });
    Thread.sleep(config.smoke ? 500 : 3000);
    OptionalLong heap1 = server.heapAfterGcKiB();
    long rss1 = server.rssKiB();
    if (config.idleHistogram && server.target() != Target.PEERSERVER) {
      java.nio.file.Path file = config.logDir.resolve(server.target().label() + "-idle-" + count + "-histogram.txt");
      java.nio.file.Files.writeString(file, server.jcmd("GC.class_histogram"));
      System.out.println("class histogram with " + count + " idle peers: " + file);
    }
    boolean alive = server.isAlive();
    StormConnector.closeAll(opened.channels());
    int n = opened.channels().size();
    Result result = new Result().put("peers", n).put("failed", opened.failures());
    if (heap0.isPresent() && heap1.isPresent()) {
      result.put("heap KiB/peer", n == 0 ? 0 : (double) (heap1.getAsLong() - heap0.getAsLong()) / n);
    }
    result.put("RSS KiB/peer", n == 0 ? 0 : (double) (rss1 - rss0) / n);
    result.put("RSS MiB", rss1 / 1024.0);
    result.note = (alive ? "" : "server died; ") + (opened.failures() > 0 ? "first failure: " + opened.firstFailure() : "");
    return result;
  }

  private Result openPairs(ServerProcess server, String p, int pairs, List<LoadClient.Peer> into) throws Exception {
    return openPairs(server, server, p, pairs, into);
  }

  // The "a" peers on nodeA, the "b" peers on nodeB (one connect per node when they are the same).
  private Result openPairs(ServerProcess nodeA, ServerProcess nodeB, String p, int pairs, List<LoadClient.Peer> into)
      throws Exception {
    List<String> as = new ArrayList<>();
    List<String> bs = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      as.add(p + i + "a");
      (nodeA == nodeB ? as : bs).add(p + i + "b");
    }
    List<LoadClient.Peer> opened = new ArrayList<>();
    for (Map.Entry<ServerProcess, List<String>> node : nodeA == nodeB ? List.of(Map.entry(nodeA, as))
        : List.of(Map.entry(nodeA, as), Map.entry(nodeB, bs))) {
      LoadClient.Opened some = client.connectAll(node.getKey().port(), node.getValue(), Scenarios::token, 200,
          (peer, nanos) -> { });
      opened.addAll(some.peers());
      if (some.failures() > 0) {
        LoadClient.closeAll(opened);
        return Result.unavailable(some.failures() + " peers failed to connect: " + some.firstFailure());
      }
    }
    into.addAll(opened);
    return null;
  }

  /** Waits (at most 30 s) until {@code GET /peerjs/peers} on {@code server} lists every one of {@code ids}. */
  static void awaitListed(ServerProcess server, java.util.Collection<String> ids) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .connectTimeout(java.time.Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int missing = ids.size();
    while (System.nanoTime() < deadline) {
      try {
        java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/peerjs/peers"))
            .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          java.util.Set<String> listed = new java.util.HashSet<>(
              new io.vertx.core.json.JsonArray(response.body()).getList().stream().map(String::valueOf).toList());
          missing = (int) ids.stream().filter(id -> !listed.contains(id)).count();
          if (missing == 0) {
            return;
          }
        }
      } catch (java.io.IOException notYet) {
        // retry
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(missing + " of " + ids.size() + " peers still not listed by GET /peerjs/peers on port "
        + server.port() + " after 30 s (cluster not formed?)");
  }

  private static Map<String, LoadClient.Peer> byId(List<LoadClient.Peer> peers) {
    Map<String, LoadClient.Peer> byId = new HashMap<>();
    for (LoadClient.Peer peer : peers) {
      byId.put(peer.id, peer);
    }
    return byId;
  }

  private static void record(Buffer data, int stampOffset, Recorder latency, LongAdder received) {
    long sent = Messages.stampOf(data, stampOffset);
    if (sent > 0) {
      latency.recordValue(Math.max(0, System.nanoTime() - sent));
    }
    received.increment();
  }

  /** Warms up, then measures messages received, latency, and server and generator CPU over the window. */
  private Result measure(List<ServerProcess> servers, Recorder latency, LongAdder received)
      throws InterruptedException {
    Thread.sleep((long) (config.warmupSeconds * 1000));
    latency.getIntervalHistogram();
    long count0 = received.sum();
    long[] cpu0 = cpuSplitMicros(servers);
    long ownCpu0 = ServerProcess.cpuMicros(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    Thread.sleep((long) (config.seconds * 1000));
    long count = received.sum() - count0;
    long[] cpu1 = cpuSplitMicros(servers);
    long cpu = cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1];
    long systemCpu = cpu1[1] - cpu0[1];
    long ownCpu = ServerProcess.cpuMicros(ProcessHandle.current().pid()) - ownCpu0;
    double secs = (System.nanoTime() - t0) / 1e9;
    Histogram h = latency.getIntervalHistogram();
    return new Result()
        .put("msgs/s", count / secs)
        .put("p50 ms", h.getValueAtPercentile(50) / 1e6)
        .put("p99 ms", h.getValueAtPercentile(99) / 1e6)
        .put("p999 ms", h.getValueAtPercentile(99.9) / 1e6)
        .put("server CPU µs/msg", count == 0 ? 0 : (double) cpu / count)
        .put("server sys %", cpu == 0 ? 0 : 100.0 * systemCpu / cpu)
        .put("server cores", cpu / 1e6 / secs)
        .put("generator cores", ownCpu / 1e6 / secs)
        .put("server RSS MiB", servers.stream().mapToLong(ServerProcess::rssKiB).sum() / 1024.0);
  }

  // User and system CPU summed over the server processes.
  private static long[] cpuSplitMicros(List<ServerProcess> servers) {
    long[] sum = new long[2];
    for (ServerProcess server : servers) {
      long[] split = server.cpuSplitMicros();
      sum[0] += split[0];
      sum[1] += split[1];
    }
    return sum;
  }

  static long ownMaxOpenFiles() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
        }
      }
    } catch (Exception e) {
      // unknown
    }
    return Long.MAX_VALUE;
  }

  static long awaitMillis(long ms) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(ms);
    return ms;
  }
}
