package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A profile of a server process over a measured window from the kernel's counters ({@code perf stat}
 * on the process, all its threads): the system calls it made and the times its threads were switched
 * out. Per relayed message they show where a server's cost at moderate load goes, whatever the
 * language: each wake-up of an event loop is a context switch, each read, write or wait a system call.
 * With {@code --perf} the node scenarios add "syscalls/msg" and "ctx switches/msg" to their figures.
 */
final class PerfStat implements AutoCloseable {
  static final String SYSCALLS = "raw_syscalls:sys_enter";
  static final String SWITCHES = "context-switches";

  private final Process perf;

  private PerfStat(Process perf) {
    this.perf = perf;
  }

  /** Starts counting for {@code pid}; fails when {@code perf} is missing or may not trace the process. */
  static PerfStat attach(long pid) throws IOException {
    Process perf = new ProcessBuilder("perf", "stat", "-x", ",", "-e", SYSCALLS + "," + SWITCHES,
        "-p", String.valueOf(pid)).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return new PerfStat(perf);
  }

  /** Stops counting (SIGINT, as perf expects) and returns the counts by event name. */
  Map<String, Long> stop() throws Exception {
    new ProcessBuilder("kill", "-INT", String.valueOf(perf.pid())).start().waitFor();
    if (!perf.waitFor(10, TimeUnit.SECONDS)) {
      perf.destroyForcibly();
      throw new IllegalStateException("perf stat did not stop");
    }
    String output = new String(perf.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      // CSV: value,unit,event,run time,percentage,...
      List<String> fields = List.of(line.split(",", -1));
      if (fields.size() > 2 && fields.get(0).matches("\\d+")) {
        counts.put(fields.get(2), Long.parseLong(fields.get(0)));
      }
    }
    if (!counts.containsKey(SYSCALLS) || !counts.containsKey(SWITCHES)) {
      throw new IllegalStateException("perf stat gave no counts: " + output.strip());
    }
    return counts;
  }

  @Override
  public void close() {
    perf.destroyForcibly();
  }
}
