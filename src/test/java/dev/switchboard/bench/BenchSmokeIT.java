package dev.switchboard.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the benchmark suite working: runs it in smoke mode (seconds, tiny sizes) against the packaged
 * jar and the raw forwarder, and checks that every scenario printed figures (cross-node: a real two-node
 * cluster on loopback, with the local relay on one of its nodes beside it; the Node ws generator's scenarios,
 * with ws from src/test/js, which scripts/install-test-tools.sh installs: a missing node or ws fails the
 * run). Switchboard is started by its launcher, target/switchboard. No thresholds: figures from a
 * CI machine busy with other tests mean nothing; the real ones come from scripts/bench.sh.
 */
class BenchSmokeIT {

  @Test
  void smokeRunPrintsFiguresForEveryScenario() throws Exception {
    String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
    assertTrue(Files.exists(Path.of(jar)), "missing " + jar + " (run mvn package first)");
    Path logs = Path.of("target", "bench-smoke");
    Process bench = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), Bench.class.getName(),
        "--smoke", "--jar", jar, "--log-dir", logs.toString(), "--ws-from", "src/test/js")
        .redirectErrorStream(true).start();
    byte[] out = bench.getInputStream().readAllBytes();
    assertTrue(bench.waitFor(120, TimeUnit.SECONDS), "the smoke run did not end");
    String text = new String(out, StandardCharsets.UTF_8);
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("output.txt"), text);
    assertEquals(0, bench.exitValue(), text);
    for (String scenario : List.of("## relay (saturation)", "## relay at 1000 msgs/s (open loop)",
        "## connect storm (auth none)", "## idle 200 peers")) {
      assertTrue(text.contains(scenario), "no summary for " + scenario + ":\n" + text);
    }
    assertTrue(text.matches("(?s).*\\[relay \\(saturation\\)] round 1 switchboard +msgs/s \\d+.*"), text);
    assertTrue(text.matches("(?s).*\\[relay \\(saturation\\)] round 1 forwarder +msgs/s \\d+.*"), text);
    assertTrue(text.matches("(?s).*\\[connect storm \\(auth none\\)] round 1 switchboard +opens/s \\d+.*"), text);
    assertTrue(text.matches("(?s).*\\[idle 200 peers] round 1 switchboard +peers 200, failed 0.*"), text);
    // A real two-node cluster: figures for the split pairs and for the local relay on node 1, and the ratio.
    assertTrue(text.matches("(?s).*\\[cross-node relay \\(2-node cluster\\)] round 1 switchboard +msgs/s \\d+.*"), text);
    assertTrue(text.matches("(?s).*\\[local relay on one clustered node] round 1 switchboard +msgs/s \\d+.*"), text);
    assertTrue(text.contains("cross-node / local msgs/s = "), text);
    assertTrue(text.contains("== Targets (issue 7) =="), text);
    // The Node ws generator's scenarios, against Switchboard as its launcher starts it.
    assertTrue(text.contains("switchboard = " + Path.of(jar).toAbsolutePath().resolveSibling("switchboard")), text);
    assertTrue(text.matches("(?s).*\\[node-idle 200 peers] round 1 switchboard +peers 200, failed 0[.0]*, RSS KiB/peer -?[\\d.]+.*"), text);
    assertTrue(text.matches("(?s).*\\[node-pingpong \\(10 pairs, 1 in flight\\)] round 1 switchboard +msgs/s \\d+.*"), text);
    assertTrue(text.matches("(?s).*\\[node-fixed 1000 msgs/s \\(open loop\\)] round 1 switchboard +msgs/s \\d+.*"), text);
    assertTrue(text.matches("(?s).*\\[mix 200 peers, 0 set-ups/s] round 1 switchboard +server cores [\\d.]+[^\\n]*"
        + "cores/10k peers.*"), text);
    assertTrue(text.matches("(?s).*\\[mix 200 peers, 20 set-ups/s] round 1 switchboard +server cores [\\d.]+[^\\n]*"
        + "set-ups/s [1-9][^\\n]*set-up p99 ms[^\\n]*cores/100 set-ups/s.*"), text);
    assertTrue(text.contains("== Targets (issue 17"), text);
  }
}
