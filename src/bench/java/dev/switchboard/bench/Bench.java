package dev.switchboard.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite: every scenario against Switchboard, PeerServer 1.0.2 and the raw forwarding
 * baseline, each against a fresh server process, targets interleaved A B A B over the rounds, then a
 * summary with ratios and the targets. {@code scripts/bench.sh} installs PeerServer and runs it.
 *
 * <p>{@code java -cp <test classpath> dev.switchboard.bench.Bench [--smoke] [--peerserver PATH] ...}
 */
public final class Bench {
  private final BenchConfig config;
  private final Report report = new Report();

  private Bench(BenchConfig config) {
    this.config = config;
  }

  private static final List<String> NODE_SCENARIOS = List.of("node-idle", "node-pingpong", "node-fixed", "mix");

  public static void main(String[] args) throws Exception {
    BenchConfig config = BenchConfig.parse(args);
    try {
      new Bench(config).run();
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.out.println("bench: FAILED: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf("Switchboard benchmark%s: %d cores, %s, java %s%n", config.smoke ? " (smoke)" : "",
        Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"));
    System.out.printf("targets: %s; switchboard = %s (the launcher, as users start it)%s%s%n",
        config.targets.stream().map(Target::label).toList(), ServerProcess.launcher(config),
        config.javaOpts.isBlank() ? "" : " with JAVA_OPTS " + config.javaOpts,
        config.targets.contains(Target.SWITCHBOARD_TUNED) || config.targets.contains(Target.FORWARDER)
            ? "; switchboard-tuned and forwarder JVM flags: " + config.serverJvm : "");
    if (config.scenarios.stream().anyMatch(NODE_SCENARIOS::contains)) {
      NodeGenerator.check(config);
      System.out.printf("node scenarios: %s, ws from %s/node_modules, %d worker threads%n", config.nodeScript,
          config.wsFrom, config.nodeWorkers);
    }
    System.out.printf("open-files limit of this process: %d; PeerServer: %s%n%n", Scenarios.ownMaxOpenFiles(),
        config.peerServerBin() == null ? "not measured (no --peerserver)" : config.peerServerBin());
    try (LoadClient client = new LoadClient(config.clientLoops, config.addresses);
         StormConnector connector = new StormConnector(config.clientLoops, config.addresses)) {
      Scenarios scenarios = new Scenarios(config, client, connector);
      NodeScenarios node = new NodeScenarios(config);
      for (String scenario : config.scenarios) {
        switch (scenario) {
          case "relay":
            repeat("relay (saturation)", true, (target, server) -> scenarios.relay(server), List.of());
            break;
          case "fixed":
            repeat("relay at " + config.rate + " msgs/s (open loop)", true,
                (target, server) -> scenarios.fixedRate(server), List.of());
            break;
          case "connect":
            repeat("connect storm (auth none)", true,
                (target, server) -> scenarios.connectStorm(server, ConnectAuth.none()), List.of());
            break;
          case "connect-jwt":
            connectJwt(scenarios);
            break;
          case "idle":
            for (String level : config.idle) {
              int count = level.equals("max") ? maxIdlePeers() : Integer.parseInt(level);
              repeat("idle " + count + " peers", false, (target, server) -> scenarios.idle(server, count), List.of());
            }
            break;
          case "cross-node":
            crossNode(scenarios);
            break;
          case "node-idle":
            repeat(NodeScenarios.idleName(config.nodePeers), false,
                (target, server) -> node.idle(server, config.nodePeers), List.of());
            break;
          case "node-pingpong":
            repeat(NodeScenarios.pingpongName(config), false, (target, server) -> node.pingpong(server), List.of());
            break;
          case "node-fixed":
            repeat(NodeScenarios.fixedName(config), false, (target, server) -> node.fixed(server), List.of());
            break;
          case "mix":
            mix(node);
            break;
          default:
            throw new IllegalArgumentException("unknown scenario " + scenario);
        }
      }
    }
    report.printSummary(config);
  }

  @FunctionalInterface
  private interface Run {
    Result run(Target target, ServerProcess server) throws Exception;
  }

  private void repeat(String scenario, boolean withForwarder, Run run, List<String> extraFlags) throws Exception {
    for (int round = 1; round <= config.rounds; round++) {
      for (Target target : config.targets(withForwarder)) {
        Result result;
        try (ServerHandle server = new ServerHandle(
            ServerProcess.start(target, config, freePort(), config.logDir, extraFlags))) {
          result = run.run(target, server.process);
          if (!server.process.isAlive()) {
            result.note = (result.note == null ? "" : result.note + "; ") + "server process died during the run";
          }
        } catch (Exception e) {
          result = Result.unavailable("run failed: " + e);
        }
        report.add(scenario, target, round, result);
      }
    }
  }

  // One server per round and target for all set-up rates (the peers stay connected between them).
  private void mix(NodeScenarios node) throws Exception {
    for (int round = 1; round <= config.rounds; round++) {
      for (Target target : config.targets(false)) {
        Map<String, Result> results = new LinkedHashMap<>();
        try (ServerHandle server = new ServerHandle(
            ServerProcess.start(target, config, freePort(), config.logDir, List.of()))) {
          results.putAll(node.mix(server.process));
          if (!server.process.isAlive()) {
            results.values().forEach(r -> r.note = r.note + "; server process died during the run");
          }
        } catch (Exception e) {
          for (int setups : config.setups) {
            results.putIfAbsent(NodeScenarios.mixName(config, setups), Result.unavailable("run failed: " + e));
          }
        }
        for (Map.Entry<String, Result> result : results.entrySet()) {
          report.add(result.getKey(), target, round, result.getValue());
        }
      }
    }
  }

  private void connectJwt(Scenarios scenarios) throws Exception {
    String scenario = "connect storm (auth jwt)";
    if (!jarHelp().contains("--jwt_secret")) {
      report.add(scenario, Target.SWITCHBOARD, 1, Result.unavailable(
          "switchboard.jar has no --auth jwt / --jwt_secret flags yet (auth branch); see ConnectAuth"));
      return;
    }
    ConnectAuth jwt = ConnectAuth.jwt(config.jwtSecret != null ? config.jwtSecret : "bench-secret-0123456789abcdef-0123456789");
    for (int round = 1; round <= config.rounds; round++) {
      try (ServerHandle server = new ServerHandle(ServerProcess.start(Target.SWITCHBOARD, config, freePort(),
          config.logDir, jwt.serverFlags()))) {
        report.add(scenario, Target.SWITCHBOARD, round, scenarios.connectStorm(server.process, jwt));
      }
    }
  }

  static final String CROSS_NODE = "cross-node relay (2-node cluster)";
  static final String CLUSTER_LOCAL = "local relay on one clustered node";

  /**
   * Per round a fresh two-node cluster (Hazelcast on loopback, its own cluster name and free ports, so
   * parallel runs never join each other): the saturation relay with each pair split over the nodes, and
   * the same relay with both peers on node 1, in alternating order; CPU and RSS summed over both.
   */
  private void crossNode(Scenarios scenarios) throws Exception {
    if (!jarHelp().contains("--cluster_name")) {
      report.add(CROSS_NODE, Target.SWITCHBOARD, 1, Result.unavailable(
          "switchboard.jar has no --cluster / --cluster_name flags (cluster branch)"));
      return;
    }
    for (int round = 1; round <= config.rounds; round++) {
      Result cross;
      Result local;
      List<ServerProcess> nodes = new ArrayList<>();
      try {
        nodes.addAll(startCluster(round));
        ServerProcess one = nodes.get(0);
        ServerProcess two = nodes.get(1);
        if (round % 2 == 1) {
          cross = scenarios.relay(one, two, nodes);
          local = scenarios.relay(one, one, nodes);
        } else {
          local = scenarios.relay(one, one, nodes);
          cross = scenarios.relay(one, two, nodes);
        }
        for (ServerProcess node : nodes) {
          if (!node.isAlive()) {
            cross.note = (cross.note == null ? "" : cross.note + "; ") + "a node died during the run";
          }
        }
      } catch (Exception e) {
        cross = Result.unavailable("run failed: " + e);
        local = Result.unavailable("run failed: " + e);
      } finally {
        ServerProcess.closeAll(nodes);
      }
      if (cross.note != null && cross.unavailable == null) {
        cross.note += "; server figures summed over both nodes";
      }
      report.add(CROSS_NODE, Target.SWITCHBOARD, round, cross);
      report.add(CLUSTER_LOCAL, Target.SWITCHBOARD, round, local);
      Double c = cross.figures.get("msgs/s");
      Double l = local.figures.get("msgs/s");
      if (c != null && l != null && l > 0) {
        System.out.printf("[%s] round %d cross-node / local msgs/s = %s%n", CROSS_NODE, round, Report.format(c / l));
      }
    }
  }

  // Starts both nodes at once; if either fails, both are stopped.
  private List<ServerProcess> startCluster(int round) throws Exception {
    int[] ports = distinctFreePorts(4);
    String name = "bench-" + ProcessHandle.current().pid() + "-" + round + "-"
        + Long.toHexString(new java.util.Random().nextLong());
    List<java.util.concurrent.CompletableFuture<ServerProcess>> starting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<String> flags = List.of("--allow_discovery", "--cluster", "--cluster_host", "127.0.0.1",
          "--cluster_port", String.valueOf(ports[2 + i]),
          "--cluster_members", "127.0.0.1:" + ports[2] + ",127.0.0.1:" + ports[3],
          "--cluster_name", name, "--cluster_bus_port", "0");
      int port = ports[i];
      starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return ServerProcess.start(Target.SWITCHBOARD, config, port, config.logDir, flags);
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }));
    }
    List<ServerProcess> nodes = new ArrayList<>();
    Exception failure = null;
    for (java.util.concurrent.CompletableFuture<ServerProcess> node : starting) {
      try {
        nodes.add(node.get());
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause() instanceof Exception cause ? cause : e;
      }
    }
    if (failure != null) {
      ServerProcess.closeAll(nodes);
      throw failure;
    }
    return nodes;
  }

  private static int[] distinctFreePorts(int n) throws IOException {
    java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
    while (ports.size() < n) {
      ports.add(freePort());
    }
    return ports.stream().mapToInt(Integer::intValue).toArray();
  }

  private String jarHelp() throws IOException, InterruptedException {
    Process help = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", config.jar().toString(), "--help").redirectErrorStream(true).start();
    String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    help.waitFor();
    return out;
  }

  // The largest idle population this machine's open-files limit allows, rounded down to thousands.
  private static int maxIdlePeers() {
    long limit = Scenarios.ownMaxOpenFiles();
    return (int) Math.max(1000, Math.min(1_000_000, (limit - 1500) / 1000 * 1000));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String cpuModel() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return "unknown CPU";
  }

  private static final class ServerHandle implements AutoCloseable {
    final ServerProcess process;

    ServerHandle(ServerProcess process) {
      this.process = process;
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }
  }
}
