package dev.switchboard.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a message the first time its key is seen and at FINE after that: a browser retrying from a
 * refused origin every few seconds must not fill the log, but an operator must see it once. At most
 * {@link #MAX_KEYS} keys are remembered, so a client inventing origins cannot grow memory; past that,
 * every further key logs at FINE.
 */
public final class OnceLog {
  /** Distinct keys remembered. */
  public static final int MAX_KEYS = 1_000;

  private final Logger logger;
  private final Level level;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public OnceLog(Logger logger, Level level) {
    this.logger = logger;
    this.level = level;
  }

  /** Logs {@code message} at this log's level if {@code key} is new, else at FINE. */
  public void log(String key, Supplier<String> message) {
    boolean first = seen.size() < MAX_KEYS && seen.add(key);
    logger.log(first ? level : Level.FINE, message);
  }
}
