package dev.switchboard;

import dev.switchboard.log.JsonLogFormatter;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** One-line log records on standard error, unless the JVM was given its own logging configuration. */
final class Logging {
  private Logging() {
  }

  static void configure() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream config = Logging.class.getResourceAsStream("/logging.properties")) {
      if (config != null) {
        LogManager.getLogManager().readConfiguration(config);
      }
    } catch (IOException e) {
      System.err.println("Could not read logging configuration: " + e.getMessage());
    }
  }

  /** Switches the console to {@code --log_format}: {@code text} (as configured) or {@code json}. */
  static void useFormat(String format) {
    if ("json".equals(format)) {
      for (Handler handler : Logger.getLogger("").getHandlers()) {
        handler.setFormatter(new JsonLogFormatter());
      }
    }
  }
}
