package dev.switchboard.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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

  public static void main(String[] args) throws Exception {
    BenchConfig config = BenchConfig.parse(args);
    new Bench(config).run();
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf("Switchboard benchmark%s: %d cores, %s, java %s, server JVM flags: %s%n",
        config.smoke ? " (smoke)" : "", Runtime.getRuntime().availableProcessors(), cpuModel(),
        System.getProperty("java.version"), config.serverJvm);
    System.out.printf("open-files limit of this process: %d; PeerServer: %s%n%n", Scenarios.ownMaxOpenFiles(),
        config.peerServerBin() == null ? "not measured (no --peerserver)" : config.peerServerBin());
    try (LoadClient client = new LoadClient(config.clientLoops, config.addresses)) {
      Scenarios scenarios = new Scenarios(config, client);
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
            report.add("cross-node relay (2-node cluster)", Target.SWITCHBOARD, 1, Result.unavailable(
                "Switchboard has no cluster mode yet (cluster branch); this scenario is the place for it"));
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
