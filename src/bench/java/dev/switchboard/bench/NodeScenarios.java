package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios driven by the Node {@code ws} generator ({@link NodeGenerator}): clients as PeerJS apps
 * are on the wire, one WebSocket per peer and one message per packet. Each runs against a fresh server
 * process; the server's CPU is sampled when the generator announces the start and the end of a window.
 */
final class NodeScenarios {
  private final BenchConfig config;
  private int runs;

  NodeScenarios(BenchConfig config) {
    this.config = config;
  }

  private String prefix() {
    return "n" + (++runs) + "x";
  }

  static String idleName(int peers) {
    return "node-idle " + peers + " peers";
  }

  static String pingpongName(BenchConfig config) {
    return "node-pingpong (" + config.pairs + " pairs, 1 in flight)";
  }

  static String fixedName(BenchConfig config) {
    return "node-fixed " + config.rate + " msgs/s (open loop)";
  }

  static String mixName(BenchConfig config, int setups) {
    return "mix " + config.nodePeers + " peers, " + setups + " set-ups/s";
  }

  /** {@code count} peers connect and sit; the server's RSS before (fresh) and after, per peer. */
  Result idle(ServerProcess server, int count) throws Exception {
    long limit = Math.min(server.maxOpenFiles(), Scenarios.ownMaxOpenFiles());
    if (count + 500 > limit) {
      return Result.unavailable(count + " peers need " + count + " sockets in the server and in the generator,"
          + " but the open-files limit is " + limit);
    }
    long rss0 = server.rssKiB();
    try (NodeGenerator generator = NodeGenerator.start(config, server, prefix(), List.of("--scenario", "idle",
        "--peers", String.valueOf(count), "--concurrency", String.valueOf(config.nodeConcurrency)))) {
      JsonObject ready = generator.await("@ready", connectTimeout(count)).body();
      Scenarios.awaitMillis(config.smoke ? 500 : 3000);
      long rss1 = server.rssKiB();
      boolean alive = server.isAlive();
      generator.stop();
      generator.await("@done", 60);
      int peers = ready.getInteger("peers");
      Result result = new Result()
          .put("peers", peers)
          .put("failed", ready.getInteger("failed"))
          .put("RSS KiB/peer", peers == 0 ? 0 : (double) (rss1 - rss0) / peers)
          .put("RSS MiB before", rss0 / 1024.0)
          .put("RSS MiB", rss1 / 1024.0)
          .put("connect s", ready.getLong("connectMs") / 1000.0);
      result.note = (alive ? "" : "server died; ") + "fresh server, no forced GC";
      return result;
    }
  }

  /** Pairs ping-pong OFFER/ANSWER, one message in flight per pair: each arrival sends the next. */
  Result pingpong(ServerProcess server) throws Exception {
    Result result = relayWindow(server, List.of("--scenario", "pingpong", "--pairs", String.valueOf(config.pairs),
        "--payload", String.valueOf(config.payload)), 2 * config.pairs);
    result.note = config.pairs + " pairs, 1 in flight per pair, " + config.payload + " B frames, "
        + config.nodeWorkers + " node workers";
    return result;
  }

  /** Open loop: {@code --rate} messages/s over the pairs, whatever comes back. */
  Result fixed(ServerProcess server) throws Exception {
    Result result = relayWindow(server, List.of("--scenario", "fixed", "--pairs", String.valueOf(config.fixedPairs),
        "--payload", String.valueOf(config.payload), "--rate", String.valueOf(config.rate)), 2 * config.fixedPairs);
    result.note = "offered " + config.rate + " msgs/s over " + config.fixedPairs + " pairs, " + config.nodeWorkers
        + " node workers";
    return result;
  }

  private Result relayWindow(ServerProcess server, List<String> args, int peers) throws Exception {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--warmup", String.valueOf(config.warmupSeconds), "--seconds", String.valueOf(config.seconds)));
    try (NodeGenerator generator = NodeGenerator.start(config, server, prefix(), all)) {
      generator.await("@ready", connectTimeout(peers));
      Window window = window(generator, server, config.seconds);
      generator.await("@done", 60);
      JsonObject end = window.end;
      double received = end.getDouble("received");
      Result result = new Result()
          .put("msgs/s", received / end.getDouble("seconds"))
          .putIfPresent("p50 ms", end.getDouble("p50ms"))
          .putIfPresent("p99 ms", end.getDouble("p99ms"))
          .putIfPresent("p999 ms", end.getDouble("p999ms"))
          .put("server CPU µs/msg", received == 0 ? 0 : window.serverCpu / received)
          .put("server sys %", window.serverSysPercent())
          .put("server cores", window.serverCores())
          .put("generator cores", window.generatorCores())
          .put("server RSS MiB", server.rssKiB() / 1024.0);
      profile(result, window, received);
      return result;
    }
  }

  // With --perf: the server's system calls and context switches per relayed message over the window.
  private static void profile(Result result, Window window, double messages) {
    if (!window.perf.isEmpty() && messages > 0) {
      result.put("syscalls/msg", window.perf.get(PerfStat.SYSCALLS) / messages)
          .put("ctx switches/msg", window.perf.get(PerfStat.SWITCHES) / messages);
    }
  }

  /**
   * {@code --node-peers} peers each sending HEARTBEAT every 5 s, spread evenly, then at each rate of
   * {@code --setups} in turn call set-ups between random pairs of them (OFFER, ANSWER, 8 CANDIDATE each
   * way, LEAVE), one measured window per rate on the same server. Results keyed by scenario name; with
   * rate 0 among them, the baseline per 10 000 peers and the increment per 100 set-ups/s.
   */
  Map<String, Result> mix(ServerProcess server) throws Exception {
    int peers = config.nodePeers;
    List<String> args = List.of("--scenario", "mix", "--peers", String.valueOf(peers),
        "--concurrency", String.valueOf(config.nodeConcurrency),
        "--setups", String.join(",", config.setups.stream().map(String::valueOf).toList()),
        "--warmup", String.valueOf(config.warmupSeconds), "--seconds", String.valueOf(config.mixSeconds));
    Map<String, Result> results = new LinkedHashMap<>();
    try (NodeGenerator generator = NodeGenerator.start(config, server, prefix(), args)) {
      generator.await("@ready", connectTimeout(peers));
      Double baseline = null;
      for (int setups : config.setups) {
        Window window = window(generator, server, config.mixSeconds);
        JsonObject end = window.end;
        double seconds = end.getDouble("seconds");
        double cores = window.serverCores();
        Result result = new Result()
            .put("server cores", cores)
            .put("relayed msgs/s", end.getDouble("received") / seconds)
            .put("heartbeats/s", end.getDouble("heartbeats") / seconds)
            .put("set-ups/s", end.getDouble("setupsDone") / seconds)
            .putIfPresent("p50 ms", end.getDouble("p50ms"))
            .putIfPresent("p99 ms", end.getDouble("p99ms"))
            .putIfPresent("set-up p50 ms", end.getDouble("setupP50ms"))
            .putIfPresent("set-up p99 ms", end.getDouble("setupP99ms"))
            .put("server sys %", window.serverSysPercent())
            .put("generator cores", window.generatorCores())
            .put("server RSS MiB", server.rssKiB() / 1024.0);
        profile(result, window, end.getDouble("received") + end.getDouble("heartbeats"));
        if (setups == 0) {
          baseline = cores;
          result.put("cores/10k peers", cores * 10_000 / peers);
        } else if (baseline != null) {
          result.put("cores/100 set-ups/s", (cores - baseline) * 100 / setups);
        }
        result.note = peers + " peers, HEARTBEAT every 5 s each; " + setups + " set-ups/s offered"
            + (end.getInteger("closed") > 0 ? "; " + end.getInteger("closed") + " sockets closed by the server" : "");
        results.put(mixName(config, setups), result);
      }
      generator.await("@done", 60);
    }
    return results;
  }

  private double connectTimeout(int peers) {
    return 60 + peers / 100.0;
  }

  /** CPU of the server and of the generator between the generator's @start and @stop lines. */
  private record Window(JsonObject end, double serverCpu, double serverSys, double generatorCpu, double seconds,
                        Map<String, Long> perf) {
    double serverCores() {
      return serverCpu / 1e6 / seconds;
    }

    double serverSysPercent() {
      return serverCpu == 0 ? 0 : 100 * serverSys / serverCpu;
    }

    double generatorCores() {
      return generatorCpu / 1e6 / seconds;
    }
  }

  private Window window(NodeGenerator generator, ServerProcess server, double seconds) throws Exception {
    double timeout = config.warmupSeconds + seconds + 60;
    generator.await("@start", timeout);
    PerfStat perf = config.perf ? PerfStat.attach(server.pid()) : null;
    long[] cpu0 = server.cpuSplitMicros();
    long own0 = generator.cpuMicros();
    long t0 = System.nanoTime();
    generator.await("@stop", timeout);
    long[] cpu1 = server.cpuSplitMicros();
    long own1 = generator.cpuMicros();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Map<String, Long> counts = perf == null ? Map.of() : perf.stop();
    JsonObject end = generator.await("@end", 60).body();
    return new Window(end, cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1], cpu1[1] - cpu0[1], own1 - own0, elapsed, counts);
  }
}
