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
      "  --jar PATH              switchboard.jar to measure (default target/switchboard.jar)",
      "  --peerserver PATH       PeerServer's dist/bin/peerjs.js; without it PeerServer is left out",
      "  --scenarios LIST        of relay,fixed,connect,connect-jwt,idle,cross-node (default all)",
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
      "  --server-jvm 'FLAGS'    JVM flags for the Java servers (default: see BenchConfig)",
      "  --switchboard-args 'F'  extra flags for switchboard.jar (e.g. '--event_loops 1')",
      "  --no-forwarder          leave out the raw forwarding baseline");

  /** The JVM flags the Java servers run with; see docs/performance.md for why. */
  static final String DEFAULT_SERVER_JVM =
      "-Xms64m -Xmx2g -XX:+UseParallelGC -Xmn48m -XX:-UsePerfData";

  boolean smoke;
  Path jar = Path.of("target/switchboard.jar");
  Path peerServerBin;
  List<String> scenarios = new ArrayList<>(List.of("relay", "fixed", "connect", "connect-jwt", "idle", "cross-node"));
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

  /** The servers a scenario runs against, in the order of each round. */
  List<Target> targets(boolean withForwarder) {
    List<Target> targets = new ArrayList<>();
    targets.add(Target.SWITCHBOARD);
    if (peerServerBin != null) {
      targets.add(Target.PEERSERVER);
    }
    if (withForwarder && forwarder) {
      targets.add(Target.FORWARDER);
    }
    return targets;
  }
}
