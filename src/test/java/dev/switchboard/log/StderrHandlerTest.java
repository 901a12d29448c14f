package dev.switchboard.log;

import dev.switchboard.support.Eventually;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StderrHandlerTest {
  private static final long LONG_DELAY_MS = 60_000;

  @Test
  void infoRecordsWaitInTheBufferUntilClose() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StderrHandler handler = new StderrHandler(out, LONG_DELAY_MS);
    handler.publish(record(Level.INFO, "one"));
    handler.publish(record(Level.INFO, "two"));
    assertEquals("", text(out));
    handler.close();
    assertEquals(List.of("one", "two"), messages(out));
  }

  @Test
  void warningsAreWrittenAtOnceWithWhatCameBefore() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StderrHandler handler = new StderrHandler(out, LONG_DELAY_MS);
    handler.publish(record(Level.INFO, "before"));
    handler.publish(record(Level.WARNING, "trouble"));
    assertEquals(List.of("before", "trouble"), messages(out));
  }

  @Test
  void bufferedRecordsAreWrittenAfterTheFlushDelay() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StderrHandler handler = new StderrHandler(out, 20);
    handler.publish(record(Level.INFO, "first"));
    Eventually.await(Duration.ofSeconds(5), () -> messages(out).equals(List.of("first")), () -> text(out));
    // The delay starts again with the next record after a flush.
    handler.publish(record(Level.INFO, "second"));
    Eventually.await(Duration.ofSeconds(5), () -> messages(out).equals(List.of("first", "second")), () -> text(out));
  }

  @Test
  void recordsBelowTheLevelAreDropped() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StderrHandler handler = new StderrHandler(out, LONG_DELAY_MS);
    handler.setLevel(Level.INFO);
    handler.publish(record(Level.FINE, "detail"));
    handler.publish(record(Level.INFO, "kept"));
    handler.close();
    assertEquals(List.of("kept"), messages(out));
  }

  @Test
  void noLineIsLostWhenTheProcessExits() throws Exception {
    int lines = 5_000;
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LogThenExit.class.getName(), String.valueOf(lines))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
    assertEquals(0, child.exitValue(), stderr);
    List<String> logged = stderr.lines().filter(line -> line.contains("dev.switchboard.connections")).toList();
    assertEquals(lines + 1, logged.size(), () -> "last lines: " + logged.subList(Math.max(0, logged.size() - 3), logged.size()));
    assertTrue(logged.get(lines).endsWith("INFO dev.switchboard.connections: Stopped"), logged.get(lines));
  }

  private static LogRecord record(Level level, String message) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("test");
    return record;
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  // "… LEVEL test: message" → message
  private static List<String> messages(ByteArrayOutputStream out) {
    return text(out).lines().map(line -> line.substring(line.indexOf(": ") + 2)).toList();
  }

  /** The child of {@link #noLineIsLostWhenTheProcessExits}: logs as Main does, then exits from another thread. */
  public static final class LogThenExit {
    public static void main(String[] args) throws IOException, InterruptedException {
      try (var config = LogThenExit.class.getResourceAsStream("/logging.properties")) {
        java.util.logging.LogManager.getLogManager().readConfiguration(config);
      }
      java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.switchboard.connections");
      for (int i = 0; i < Integer.parseInt(args[0]); i++) {
        log.info("peer connected: peer=p" + i);
      }
      Thread drain = new Thread(() -> {
        log.info("Stopped");
        System.exit(0);
      });
      drain.start();
      drain.join();
    }
  }
}
