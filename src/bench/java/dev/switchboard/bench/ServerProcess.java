package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, run as its own process so its CPU time and memory can be read from
 * {@code /proc/<pid>} without the load generator in the figures.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final long CLOCK_TICKS_PER_SECOND = clockTicks();
  /** Server processes not yet closed; a shutdown hook kills them should the suite end without closing them. */
  private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "bench-server-reaper"));
  }

  private final Target target;
  private final Process process;
  private final int port;

  private ServerProcess(Target target, Process process, int port) {
    this.target = target;
    this.process = process;
    this.port = port;
  }

  /** Starts {@code target} on {@code port} and waits until it answers HTTP. */
  static ServerProcess start(Target target, BenchConfig config, int port, Path logDir, List<String> extraFlags)
      throws Exception {
    List<String> command = new ArrayList<>();
    Files.createDirectories(logDir);
    // GC pauses next to each run's figures, to tell a collector stall from a noisy neighbour.
    String gcLog = "-Xlog:gc:file=" + logDir.resolve(target.label() + "-" + port + "-gc.log");
    Map<String, String> env = new HashMap<>();
    switch (target) {
      case SWITCHBOARD:
        // As users start it: the launcher's JVM defaults, only a GC log added through JAVA_OPTS.
        Path launcher = launcher(config);
        command.add(launcher.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", String.join(" ", concat(List.of(gcLog), config.javaOpts())));
        command.addAll(switchboardFlags(config, port, extraFlags));
        break;
      case SWITCHBOARD_TUNED:
      case SWITCHBOARD_JAR:
        command.add(javaBin());
        if (target == Target.SWITCHBOARD_TUNED) {
          command.addAll(config.serverJvmOptions());
        }
        command.add(gcLog);
        command.addAll(List.of("-jar", config.jar().toString()));
        command.addAll(switchboardFlags(config, port, extraFlags));
        break;
      case FORWARDER:
        command.add(javaBin());
        command.addAll(config.serverJvmOptions());
        command.add(gcLog);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawForwarder.class.getName(),
            String.valueOf(port)));
        break;
      case PEERSERVER:
        command.addAll(List.of("node", config.peerServerBin().toString(), "--host", "127.0.0.1",
            "--port", String.valueOf(port), "--concurrent_limit", "1000000", "--alive_timeout", "3600000"));
        break;
      default:
        throw new IllegalArgumentException(target.toString());
    }
    Path log = logDir.resolve(target.label() + "-" + port + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The launcher's own defaults, whatever this shell has set to replace them.
    builder.environment().remove("SWITCHBOARD_JVM_DEFAULTS");
    builder.environment().putAll(env);
    Process process = builder.start();
    LIVE.add(process);
    ServerProcess server = new ServerProcess(target, process, port);
    try {
      server.awaitReady(log);
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code switchboard} next to the jar, which {@code mvn package} puts there. */
  static Path launcher(BenchConfig config) {
    Path launcher = config.jar().toAbsolutePath().resolveSibling("switchboard");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("the launcher " + launcher + " is missing (mvn package puts it next to the jar)");
    }
    return launcher;
  }

  private static List<String> switchboardFlags(BenchConfig config, int port, List<String> extraFlags) {
    List<String> flags = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port),
        "--concurrent_limit", "1000000", "--alive_timeout", "3600000",
        // a connect storm holds many handshakes in flight from the load generator's few addresses
        "--http_ip_limit", "1000000"));
    flags.addAll(config.switchboardArgs());
    flags.addAll(extraFlags);
    return flags;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void awaitReady(Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(target.label() + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() < 500) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException(target.label() + " did not start within 30 s; see " + log);
  }

  Target target() {
    return target;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** User + system CPU time of the process so far, in microseconds (clock-tick resolution). */
  long cpuMicros() {
    return cpuMicros(process.pid());
  }

  long[] cpuSplitMicros() {
    return cpuSplitMicros(process.pid());
  }

  static long cpuMicros(long pid) {
    long[] split = cpuSplitMicros(pid);
    return split[0] + split[1];
  }

  /** User and system CPU time of process {@code pid}, in microseconds; {-1, 0} when it is gone. */
  static long[] cpuSplitMicros(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long user = Long.parseLong(fields[11]); // utime, stime: fields 14 and 15 of proc(5)
      long system = Long.parseLong(fields[12]);
      return new long[] {user * 1_000_000L / CLOCK_TICKS_PER_SECOND, system * 1_000_000L / CLOCK_TICKS_PER_SECOND};
    } catch (IOException e) {
      return new long[] {-1, 0};
    }
  }

  /** Resident set size in KiB. */
  long rssKiB() {
    return statusField("VmRSS:");
  }

  private long statusField(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  /** The soft limit on open files of the server process. */
  long maxOpenFiles() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/limits"))) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown
    }
    return Long.MAX_VALUE;
  }

  /** Java heap in use after a full GC (KiB), for the JVM servers; empty for others. */
  OptionalLong heapAfterGcKiB() throws Exception {
    if (target == Target.PEERSERVER) {
      return OptionalLong.empty();
    }
    jcmd("GC.run");
    // The heap's generations or regions ("PSYoungGen … used 12K", "garbage-first heap … used 34K"),
    // not Metaspace.
    long total = 0;
    boolean found = false;
    for (String line : jcmd("GC.heap_info").split("\n")) {
      Matcher used = HEAP_USED.matcher(line);
      if (!line.contains("space") && used.find()) {
        total += Long.parseLong(used.group(1));
        found = true;
      }
    }
    return found ? OptionalLong.of(total) : OptionalLong.empty();
  }

  String jcmd(String command) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(process.pid()), command).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    jcmd.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /** Stops all of {@code servers} at once (each is asked to stop before any is waited for). */
  static void closeAll(List<ServerProcess> servers) throws InterruptedException {
    for (ServerProcess server : servers) {
      server.process.destroy();
    }
    for (ServerProcess server : servers) {
      server.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    LIVE.remove(process);
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      getconf.waitFor();
      return Long.parseLong(out);
    } catch (Exception e) {
      return 100;
    }
  }
}
