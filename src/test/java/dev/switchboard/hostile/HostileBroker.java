package dev.switchboard.hostile;

import dev.switchboard.support.BrokerProcess;
import dev.switchboard.support.HttpGet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar under attack, with discovery on so {@code GET /peerjs/peers} shows who it holds, and
 * what the hostile suite checks of it from outside: alive, the ids it lists, its heap after a full GC
 * ({@code jcmd}), and SEVERE lines (or worse) in its output.
 */
final class HostileBroker implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  // What client input must never make the broker write: the broker's own SEVERE level, an uncaught
  // exception, running out of memory.
  private static final Pattern ALARM = Pattern.compile("(?m)^.*( SEVERE |Exception in thread|OutOfMemoryError).*$");

  private final BrokerProcess process;
  private final int port;

  private HostileBroker(BrokerProcess process) {
    this.process = process;
    this.port = process.port();
  }

  /** Starts the jar on loopback, port 0, discovery on, XHR peers removed 1 s after their stream; plus {@code flags}. */
  static HostileBroker start(String name, String... flags) {
    List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--allow_discovery",
        "--xhr_grace_period", "1000"));
    all.addAll(List.of(flags));
    BrokerProcess process = BrokerProcess.start(name, all.toArray(String[]::new));
    try {
      return new HostileBroker(process);
    } catch (AssertionError e) {
      process.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Where its output is now; {@link #alarmsSince} reads from such a mark. */
  int outputMark() {
    return process.output().length();
  }

  /** SEVERE lines, uncaught exceptions and OutOfMemoryErrors written since {@code mark}. */
  List<String> alarmsSince(int mark) {
    List<String> alarms = new ArrayList<>();
    Matcher m = ALARM.matcher(process.output().substring(Math.min(mark, process.output().length())));
    while (m.find()) {
      alarms.add(m.group());
    }
    return alarms;
  }

  String output() {
    return process.output();
  }

  /** The ids {@code GET /peerjs/peers} lists now. */
  Set<String> peers() {
    return new HashSet<>(HttpGet.peers(port));
  }

  /**
   * Waits until the broker lists exactly {@code expected}; fails naming the ghosts (listed, not
   * expected) and the missing.
   */
  void awaitPeers(Set<String> expected, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    Set<String> listed = peers();
    while (!listed.equals(expected) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      listed = peers();
    }
    if (!listed.equals(expected)) {
      Set<String> ghosts = new HashSet<>(listed);
      ghosts.removeAll(expected);
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(listed);
      throw new AssertionError(ghosts.size() + " ghost ids after " + within.toMillis() + " ms: "
          + first(ghosts) + "; missing: " + missing);
    }
  }

  private static String first(Set<String> ids) {
    List<String> some = new ArrayList<>(ids).subList(0, Math.min(10, ids.size()));
    return some + (ids.size() > some.size() ? " …" : "");
  }

  /** Java heap in use right after a full collection, in KiB ({@code jcmd GC.run}, {@code GC.heap_info}). */
  long heapAfterGcKiB() {
    jcmd("GC.run");
    long total = 0;
    boolean found = false;
    String info = jcmd("GC.heap_info");
    for (String line : info.split("\n")) {
      Matcher used = HEAP_USED.matcher(line);
      // The generations ("def new generation … used 12K", "tenured generation … used 34K"), not Metaspace.
      if (!line.contains("space") && used.find()) {
        total += Long.parseLong(used.group(1));
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError("no heap figures from jcmd GC.heap_info:\n" + info);
    }
    return total;
  }

  /** Resident set size in KiB. */
  long rssKiB() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  private String jcmd(String command) {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(process.pid()), command).redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        throw new AssertionError("jcmd " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("could not run jcmd", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
