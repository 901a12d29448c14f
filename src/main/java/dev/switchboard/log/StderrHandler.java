package dev.switchboard.log;

import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * Log records on standard error, as {@link java.util.logging.ConsoleHandler} writes them, without its
 * flush (one {@code write(2)} system call) per record: records are encoded into the handler's buffer
 * and reach the stream when it fills, at most {@link #DEFAULT_FLUSH_DELAY_MS} ms after being
 * published, at once for {@link Level#WARNING} and above, and when the handler is closed. The
 * LogManager closes its handlers from a shutdown hook, so lines logged before {@code System.exit} (or
 * the SIGTERM drain) are written; a SIGKILL can lose the last {@link #DEFAULT_FLUSH_DELAY_MS} ms.
 *
 * <p>Configured as the JDK's handlers are: {@code dev.switchboard.log.StderrHandler.level} (default
 * {@code INFO}), {@code .filter} and {@code .encoding}; the formatter is a {@link TextLogFormatter}.
 */
public final class StderrHandler extends StreamHandler {
  /** How long a published record may wait in the buffer. */
  public static final long DEFAULT_FLUSH_DELAY_MS = 200;

  // One daemon thread for all instances: it only ever flushes, and must not keep the JVM alive.
  private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "switchboard-log-flush");
    thread.setDaemon(true);
    return thread;
  });

  private final long flushDelayMs;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  /** Standard error as it is now. */
  public StderrHandler() {
    this(System.err, DEFAULT_FLUSH_DELAY_MS);
  }

  /** A handler writing to {@code out}, with records waiting at most {@code flushDelayMs}. */
  public StderrHandler(OutputStream out, long flushDelayMs) {
    super(out, new TextLogFormatter());
    this.flushDelayMs = flushDelayMs;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    super.publish(record);
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      flush();
    } else if (flushScheduled.compareAndSet(false, true)) {
      FLUSHER.schedule(this::scheduledFlush, flushDelayMs, TimeUnit.MILLISECONDS);
    }
  }

  private void scheduledFlush() {
    // Cleared before flushing: a record published during the flush schedules the next one.
    flushScheduled.set(false);
    flush();
  }

  /** Flushes, leaving standard error open (as {@link java.util.logging.ConsoleHandler#close}). */
  @Override
  public void close() {
    flush();
  }
}
