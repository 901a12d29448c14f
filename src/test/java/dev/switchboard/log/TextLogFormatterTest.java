package dev.switchboard.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text log line is SimpleFormatter's with {@link TextLogFormatter#FORMAT}, character for character. */
class TextLogFormatterTest {
  private static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

  private String savedFormat;
  private TimeZone savedZone;

  @BeforeEach
  void referenceFormat() {
    savedFormat = System.getProperty(FORMAT_PROPERTY);
    savedZone = TimeZone.getDefault();
    System.setProperty(FORMAT_PROPERTY, TextLogFormatter.FORMAT);
  }

  @AfterEach
  void restore() {
    if (savedFormat == null) {
      System.clearProperty(FORMAT_PROPERTY);
    } else {
      System.setProperty(FORMAT_PROPERTY, savedFormat);
    }
    TimeZone.setDefault(savedZone);
  }

  @Test
  void writesWhatSimpleFormatterWritesAcrossTimesAndZones() {
    TextLogFormatter fast = new TextLogFormatter();
    List<Instant> times = List.of(Instant.parse("2026-03-29T00:59:59.999Z"), Instant.parse("2026-03-29T01:00:00.000Z"),
        Instant.parse("2026-03-29T01:00:00.005Z"), Instant.parse("2026-03-29T01:00:00.050Z"),
        Instant.parse("2026-03-29T01:00:00.050Z"), Instant.ofEpochMilli(0), Instant.parse("2026-12-31T23:59:59.123456789Z"));
    for (String zone : List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns")) {
      TimeZone.setDefault(TimeZone.getTimeZone(zone));
      SimpleFormatter reference = new SimpleFormatter();
      for (Instant at : times) {
        LogRecord record = record(Level.INFO, "peer connected: peer=a transport=websocket address=127.0.0.1");
        record.setInstant(at);
        assertEquals(reference.format(record), fast.format(record), zone + " " + at);
      }
    }
  }

  @Test
  void writesLevelsParametersAndStackTracesAsSimpleFormatterDoes() {
    SimpleFormatter reference = new SimpleFormatter();
    TextLogFormatter fast = new TextLogFormatter();
    LogRecord structured = record(Level.INFO, "peer disconnected: peer=a reason=client_closed");
    structured.setParameters(new Object[] {Map.of("event", "disconnected")});
    LogRecord numbered = record(Level.FINE, "refused {0} from {1}");
    numbered.setParameters(new Object[] {"a", "127.0.0.1"});
    LogRecord failed = record(Level.SEVERE, "Could not start");
    failed.setThrown(new IllegalStateException("port in use", new RuntimeException("cause")));
    LogRecord unnamed = record(Level.WARNING, "no logger name");
    unnamed.setLoggerName(null);
    for (LogRecord record : List.of(structured, numbered, failed, unnamed, record(Level.CONFIG, ""),
        record(Level.parse("850"), "custom level"))) {
      assertEquals(reference.format(record), fast.format(record), record.getMessage());
    }
  }

  private static LogRecord record(Level level, String message) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("dev.switchboard.connections");
    return record;
  }
}
