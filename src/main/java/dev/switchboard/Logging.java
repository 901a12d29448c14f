package dev.switchboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

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
}
