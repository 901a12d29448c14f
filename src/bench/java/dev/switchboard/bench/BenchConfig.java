package dev.switchboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What one run of the suite does; {@link #parse} reads it from the command line. */
final class BenchConfig {
  static final String USAGE = String.join("\n",
      "Usage: Bench [options]",
      "  --smoke                 seconds-long run with tiny sizes (CI); no thresholds",
      "  --jar PATH              switchboard.jar to measure (default target/switchboard.jar); the launcher",
      "                          'switchboard' next to it starts the default target",
      "  --peerserver PATH       PeerServer's dist/bin/peerjs.js; without it PeerServer is left out",
      "  --scenarios LIST        of relay,fixed,connect,connect-jwt,idle,cross-node,node-idle,node-pingpong,",
      "                          node-fixed,mix (default all)",
      "  --targets LIST          servers measured, in this order each round, of switchboard (the launcher",
      "                          target/switchboard, as users start it), switchboard-tuned (java + --server-jvm),",
      "                          switchboard-java-jar (java -jar, no JVM flags), peerserver (with --peerserver),",
      "                          forwarder (relay scenarios only) (default switchboard,peerserver,forwarder)",
      "  --tuned / --java-jar    add switchboard-tuned / switchboard-java-jar to the targets",
      "  --java-opts 'FLAGS'     JAVA_OPTS for the launcher (after its defaults; a GC log is always added)",
      "  --rounds N              rounds per scenario, targets interleaved A B A B (default 2)",
      "  --pairs N               relay: peer pairs (default 100)",
      "  --window N              relay: messages in flight per pair (default 8)",
      "  --payload BYTES         size of each relayed frame (default 600)",
      "  --warmup S / --seconds S  warm-up and measured seconds per relay run (default 4 / 10)",
      "  --rate N                fixed: messages/s, open loop (default 20000)",
      "  --fixed-pairs N         fixed: peer pairs (default 100)",
      "  --connects N            connect: connections opened and measured (default 10000)",
      "  --connect-warmup N      connect: unmeasured connections before them (default 60000: per-connection",
      "                          code reaches steady state (C2) only after tens of thousands of connections)",
      "  --connect-concurrency N connect: handshakes in flight (default 200)",
      "  --idle LIST             idle: peer counts, 'max' = most the fd limit allows (default 10000,100000,max)",
      "  --idle-histogram        idle: save the server's class histogram (jcmd) with the peers connected",
      "  --jwt-secret S          connect-jwt: HS256 secret passed as --auth jwt --jwt_secret S",
      "  --client-loops N        load generator event loops (default 2)",
      "  --addresses N           source addresses 127.0.0.2.. for the load generator (default 4)",
      "  --server-jvm 'FLAGS'    JVM flags of switchboard-tuned and the forwarder (default: see BenchConfig)",
      "  --ws-from DIR           node scenarios: DIR/node_modules holds the ws package (default",
      "                          target/bench/peerserver, where scripts/bench.sh installs PeerServer)",
      "  --node-workers N        node scenarios: worker threads of the generator process (default 2)",
      "  --node-peers N          node-idle, mix: peers (default 10000)",
      "  --setups LIST           mix: call set-ups per second, one measured window each (default 0,50,100)",
      "  --mix-seconds S         mix: seconds of each measured window (default 20)",
      "  --switchboard-args 'F'  extra flags for switchboard.jar (e.g. '--event_loops 1')",
      "  --no-forwarder          leave out the raw forwarding baseline",
      "  --perf                  node scenarios: the server's system calls and context switches per message",
      "                          (perf stat on the server process over the measured window; needs perf)");

  /** The JVM flags the Java servers run with; see docs/performance.md for why. */
  static final String DEFAULT_SERVER_JVM =
      "-Xms64m -Xmx2g -XX:+UseParallelGC -Xmn48m -XX:-UsePerfData";

  boolean smoke;
  Path jar = Path.of("target/switchboard.jar");
  Path peerServerBin;
  List<String> scenarios = new ArrayList<>(List.of("relay", "fixed", "connect", "connect-jwt", "idle", "cross-node",
      "node-idle", "node-pingpong", "node-fixed", "mix"));
  List<Target> targets = new ArrayList<>(List.of(Target.SWITCHBOARD, Target.PEERSERVER, Target.FORWARDER));
  String javaOpts = "";
  Path nodeScript = Path.of("src/bench/js/ws-load.mjs");
  Path wsFrom = Path.of("target/bench/peerserver");
  int nodeWorkers = 2;
  int nodeConcurrency = 100;
  int nodePeers = 10_000;
  List<Integer> setups = new ArrayList<>(List.of(0, 50, 100));
  double mixSeconds = 20;
  int rounds = 2;
  int pairs = 100;
  int window = 8;
  int payload = 600;
  double warmupSeconds = 4;
  double seconds = 10;
  int rate = 20_000;
  int fixedPairs = 100;
  int connects = 10_000;
  int connectWarmup = 60_000;
  int connectConcurrency = 200;
  List<String> idle = new ArrayList<>(List.of("10000", "100000", "max"));
  String jwtSecret;
  boolean idleHistogram;
  int clientLoops = 2;
  int addresses = 4;
  String serverJvm = DEFAULT_SERVER_JVM;
  String switchboardArgs = "";
  boolean forwarder = true;
  boolean perf;
  Path logDir = Path.of("target/bench/logs");

  static BenchConfig parse(String[] args) {
    BenchConfig c = new BenchConfig();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.contains("--smoke")) {
      c.smoke = true;
      c.rounds = 1;
      c.pairs = 10;
      c.window = 2;
      c.warmupSeconds = 0.5;
      c.seconds = 1;
      c.rate = 1_000;
      c.fixedPairs = 10;
      c.connects = 100;
      c.connectWarmup = 100;
      c.connectConcurrency = 20;
      c.idle = new ArrayList<>(List.of("200"));
      c.addresses = 2;
      c.nodeWorkers = 1;
      c.nodePeers = 200;
      c.setups = new ArrayList<>(List.of(0, 20));
      c.mixSeconds = 1;
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--smoke": break;
        case "--no-forwarder": c.forwarder = false; break;
        case "--idle-histogram": c.idleHistogram = true; break;
        case "--jar": c.jar = Path.of(args[++i]); break;
        case "--peerserver": c.peerServerBin = Path.of(args[++i]); break;
        case "--scenarios": c.scenarios = List.of(args[++i].split(",")); break;
        case "--rounds": c.rounds = Integer.parseInt(args[++i]); break;
        case "--pairs": c.pairs = Integer.parseInt(args[++i]); break;
        case "--window": c.window = Integer.parseInt(args[++i]); break;
        case "--payload": c.payload = Integer.parseInt(args[++i]); break;
        case "--warmup": c.warmupSeconds = Double.parseDouble(args[++i]); break;
        case "--seconds": c.seconds = Double.parseDouble(args[++i]); break;
        case "--rate": c.rate = Integer.parseInt(args[++i]); break;
        case "--fixed-pairs": c.fixedPairs = Integer.parseInt(args[++i]); break;
        case "--connects": c.connects = Integer.parseInt(args[++i]); break;
        case "--connect-warmup": c.connectWarmup = Integer.parseInt(args[++i]); break;
        case "--connect-concurrency": c.connectConcurrency = Integer.parseInt(args[++i]); break;
        case "--idle": c.idle = List.of(args[++i].split(",")); break;
        case "--jwt-secret": c.jwtSecret = args[++i]; break;
        case "--client-loops": c.clientLoops = Integer.parseInt(args[++i]); break;
        case "--addresses": c.addresses = Integer.parseInt(args[++i]); break;
        case "--server-jvm": c.serverJvm = args[++i]; break;
        case "--switchboard-args": c.switchboardArgs = args[++i]; break;
        case "--log-dir": c.logDir = Path.of(args[++i]); break;
        case "--targets": c.targets = Target.parseList(args[++i]); break;
        case "--perf": c.perf = true; break;
        case "--tuned": c.addTarget(Target.SWITCHBOARD_TUNED); break;
        case "--java-jar": c.addTarget(Target.SWITCHBOARD_JAR); break;
        case "--java-opts": c.javaOpts = args[++i]; break;
        case "--ws-from": c.wsFrom = Path.of(args[++i]); break;
        case "--node-workers": c.nodeWorkers = Integer.parseInt(args[++i]); break;
        case "--node-peers": c.nodePeers = Integer.parseInt(args[++i]); break;
        case "--mix-seconds": c.mixSeconds = Double.parseDouble(args[++i]); break;
        case "--setups":
          c.setups = new ArrayList<>();
          for (String rate : args[++i].split(",")) {
            c.setups.add(Integer.parseInt(rate.trim()));
          }
          break;
        case "-h":
        case "--help":
          System.out.println(USAGE);
          System.exit(0);
          break;
        default:
          System.err.println("Unknown option " + arg + "\n" + USAGE);
          System.exit(2);
      }
    }
    return c;
  }

  Path jar() {
    return jar;
  }

  Path peerServerBin() {
    return peerServerBin;
  }

  List<String> serverJvmOptions() {
    return words(serverJvm);
  }

  List<String> javaOpts() {
    return words(javaOpts);
  }

  // After switchboard (the launcher) when it is listed, so the default start comes first in each round.
  private void addTarget(Target target) {
    if (!targets.contains(target)) {
      int at = targets.indexOf(Target.SWITCHBOARD);
      targets.add(at < 0 ? 0 : at + 1, target);
    }
  }

  List<String> switchboardArgs() {
    return words(switchboardArgs);
  }

  private static List<String> words(String line) {
    List<String> flags = new ArrayList<>();
    for (String flag : line.trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        flags.add(flag);
      }
    }
    return flags;
  }

  /**
   * The servers a scenario runs against, in the order of each round: {@code --targets}, less PeerServer
   * without {@code --peerserver} and the forwarder where it does not apply or with {@code --no-forwarder}.
   */
  List<Target> targets(boolean withForwarder) {
    List<Target> chosen = new ArrayList<>();
    for (Target target : targets) {
      if (target == Target.PEERSERVER && peerServerBin == null
          || target == Target.FORWARDER && !(withForwarder && forwarder)) {
        continue;
      }
      chosen.add(target);
    }
    return chosen;
  }

  /** The Switchboard start modes among the targets (the launcher first when listed). */
  List<Target> switchboardTargets() {
    return targets.stream().filter(Target::isSwitchboard).toList();
  }
}
