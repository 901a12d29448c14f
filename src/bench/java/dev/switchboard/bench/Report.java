package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints each run as it ends, then a side-by-side summary with ratios and the targets. */
final class Report {
  private final Map<String, Map<Target, List<Result>>> results = new LinkedHashMap<>();

  void add(String scenario, Target target, int round, Result result) {
    results.computeIfAbsent(scenario, s -> new EnumMap<>(Target.class))
        .computeIfAbsent(target, t -> new ArrayList<>()).add(result);
    System.out.printf("[%s] round %d %-12s %s%n", scenario, round, target.label(), result);
    System.out.flush();
  }

  static String format(double value) {
    double abs = Math.abs(value);
    if (abs >= 1000 || value == Math.rint(value) && abs >= 10) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }

  /** Median over rounds; with a spread "(min–max)" when there are several. */
  private static String cell(List<Result> runs, String metric) {
    List<Double> values = values(runs, metric);
    if (values.isEmpty()) {
      return "–";
    }
    String median = format(median(values));
    if (values.size() > 1) {
      median += " (" + format(Collections.min(values)) + "–" + format(Collections.max(values)) + ")";
    }
    return median;
  }

  private static List<Double> values(List<Result> runs, String metric) {
    List<Double> values = new ArrayList<>();
    if (runs != null) {
      for (Result run : runs) {
        Double v = run.figures.get(metric);
        if (v != null) {
          values.add(v);
        }
      }
    }
    return values;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private Double medianOf(String scenario, Target target, String metric) {
    Map<Target, List<Result>> byTarget = results.get(scenario);
    List<Double> values = values(byTarget == null ? null : byTarget.get(target), metric);
    return values.isEmpty() ? null : median(values);
  }

  void printSummary(BenchConfig config) {
    System.out.println();
    System.out.println("== Summary: median over rounds (min–max); ratio = switchboard / peerserver ==");
    for (Map.Entry<String, Map<Target, List<Result>>> scenario : results.entrySet()) {
      Map<Target, List<Result>> byTarget = scenario.getValue();
      System.out.println();
      System.out.println("## " + scenario.getKey());
      Set<String> metrics = new LinkedHashSet<>();
      for (List<Result> runs : byTarget.values()) {
        for (Result run : runs) {
          metrics.addAll(run.figures.keySet());
          if (run.unavailable != null) {
            System.out.println("   not available: " + run.unavailable);
            break;
          }
        }
      }
      if (metrics.isEmpty()) {
        continue;
      }
      StringBuilder head = new StringBuilder(String.format("   %-20s", "metric"));
      for (Target target : byTarget.keySet()) {
        head.append(String.format(" %-24s", target.label()));
      }
      // One ratio column per Switchboard start mode measured beside PeerServer.
      List<Target> ratios = new ArrayList<>();
      for (Target target : byTarget.keySet()) {
        if (target.isSwitchboard() && byTarget.containsKey(Target.PEERSERVER)) {
          ratios.add(target);
        }
      }
      for (Target target : ratios) {
        head.append(' ').append(ratioLabel(target, ratios.size()));
      }
      System.out.println(head.toString().stripTrailing());
      for (String metric : metrics) {
        StringBuilder row = new StringBuilder(String.format("   %-20s", metric));
        for (Target target : byTarget.keySet()) {
          row.append(String.format(" %-24s", cell(byTarget.get(target), metric)));
        }
        for (Target target : ratios) {
          Double sb = medianOf(scenario.getKey(), target, metric);
          Double ps = medianOf(scenario.getKey(), Target.PEERSERVER, metric);
          String value = sb != null && ps != null && ps != 0 ? format(sb / ps) : "–";
          row.append(' ').append(String.format("%-" + ratioLabel(target, ratios.size()).length() + "s", value));
        }
        System.out.println(row.toString().stripTrailing());
      }
    }
    printTargets(config);
    printNodeTargets(config);
  }

  // "ratio" alone when only the default start mode is measured, as before.
  private static String ratioLabel(Target target, int columns) {
    return columns == 1 && target == Target.SWITCHBOARD ? "ratio" : "ratio(" + target.label() + ")";
  }

  /** Issue 17: Switchboard as users start it (the launcher) against PeerServer, with clients like PeerJS apps. */
  private void printNodeTargets(BenchConfig config) {
    System.out.println();
    System.out.println("== Targets (issue 17: node ws clients, switchboard as started by its launcher) ==");
    check("server CPU per relayed message at " + config.rate + " msgs/s (node-fixed) <= 0.35 x PeerServer's",
        ratio(NodeScenarios.fixedName(config), "server CPU µs/msg"), r -> r <= 0.35, "x");
    check("server CPU per relayed message, node-pingpong <= 0.35 x PeerServer's",
        ratio(NodeScenarios.pingpongName(config), "server CPU µs/msg"), r -> r <= 0.35, "x");
    check("RSS per idle peer (node-idle " + config.nodePeers + ") <= 0.5 x PeerServer's",
        ratio(NodeScenarios.idleName(config.nodePeers), "RSS KiB/peer"), r -> r <= 0.5, "x");
    for (int setups : config.setups) {
      String mix = NodeScenarios.mixName(config, setups);
      check("server cores, " + mix + " <= 0.35 x PeerServer's", ratio(mix, "server cores"), r -> r <= 0.35, "x");
      if (setups > 0) {
        check("p99 of relayed signalling, " + mix + " <= PeerServer's", ratio(mix, "p99 ms"), r -> r <= 1, "x");
      }
    }
  }

  private void printTargets(BenchConfig config) {
    System.out.println();
    System.out.println("== Targets (issue 7) ==");
    String relay = "relay (saturation)";
    String fixed = "relay at " + config.rate + " msgs/s (open loop)";
    check("server CPU per relayed message <= 0.2 x PeerServer's (saturation)",
        ratio(relay, "server CPU µs/msg"), r -> r <= 0.2, "x");
    info("server CPU per relayed message at " + config.rate + " msgs/s vs PeerServer's (not a target)",
        ratio(fixed, "server CPU µs/msg"), "x");
    check("p99 at " + config.rate + " msgs/s <= 2 ms", medianOf(fixed, Target.SWITCHBOARD, "p99 ms"),
        v -> v <= 2, " ms");
    check("p99 at saturation <= PeerServer's", ratio(relay, "p99 ms"), r -> r <= 1, "x");
    check("saturation throughput vs PeerServer", ratio(relay, "msgs/s"), r -> r >= 1, "x");
    for (String scenario : results.keySet()) {
      if (scenario.startsWith("idle")) {
        check("RSS per idle peer <= PeerServer's (" + scenario + ")", ratio(scenario, "RSS KiB/peer"),
            r -> r <= 1, "x");
      }
    }
    check("connect rate >= 3 x PeerServer's", ratio("connect storm (auth none)", "opens/s"), r -> r >= 3, "x");
    Double jwt = medianOf("connect storm (auth jwt)", Target.SWITCHBOARD, "server CPU µs/open");
    Double none = medianOf("connect storm (auth none)", Target.SWITCHBOARD, "server CPU µs/open");
    check("JWT auth adds < 20 % to the server CPU per connect", jwt == null || none == null || none == 0 ? null : jwt / none,
        r -> r < 1.2, "x");
    Double cross = medianOf(Bench.CROSS_NODE, Target.SWITCHBOARD, "msgs/s");
    Double local = medianOf(Bench.CLUSTER_LOCAL, Target.SWITCHBOARD, "msgs/s");
    check("cross-node relay >= 0.5 x local relay on a clustered node (msgs/s)",
        cross == null || local == null || local == 0 ? null : cross / local, r -> r >= 0.5, "x");
  }

  private Double ratio(String scenario, String metric) {
    Double sb = medianOf(scenario, Target.SWITCHBOARD, metric);
    Double ps = medianOf(scenario, Target.PEERSERVER, metric);
    return sb == null || ps == null || ps == 0 ? null : sb / ps;
  }

  private static void info(String what, Double value, String unit) {
    System.out.printf("   %-72s %s%n", what, value == null ? "n/a (not measured in this run)" : format(value) + unit);
  }

  private static void check(String what, Double value, java.util.function.DoublePredicate ok, String unit) {
    if (value == null) {
      System.out.printf("   %-72s n/a (not measured in this run)%n", what);
    } else {
      System.out.printf("   %-72s %s%s  %s%n", what, format(value), unit, ok.test(value) ? "MET" : "NOT MET");
    }
  }
}
