package dev.switchboard.webhooks;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try an event again (docs/webhooks.md, "Retries"): about {@code initial} ms after the first
 * failure, doubling after each, at most {@code maxDelay}, each delay moved by up to ±20% at random so that
 * the retries of many events do not arrive together; a {@code Retry-After} answer is honoured instead.
 */
final class Backoff {
  private final long initial;
  private final long maxDelay;
  private final DoubleSupplier random;

  Backoff(long initial, long maxDelay) {
    this(initial, maxDelay, () -> ThreadLocalRandom.current().nextDouble());
  }

  Backoff(long initial, long maxDelay, DoubleSupplier random) {
    this.initial = initial;
    this.maxDelay = maxDelay;
    this.random = random;
  }

  /** The wait before attempt {@code failures + 1}, after {@code failures} (1 or more) failed attempts. */
  long delay(int failures) {
    double base = Math.min((double) maxDelay, initial * Math.pow(2, Math.min(failures - 1, 40)));
    double jittered = base * (0.8 + 0.4 * random.getAsDouble());
    return Math.max(1, Math.min(maxDelay, Math.round(jittered)));
  }

  /**
   * The wait a {@code Retry-After} value asks for (RFC 9110 §10.2.3: seconds, or an HTTP date), or -1 when
   * there is none or it cannot be read.
   */
  static long retryAfter(String value, long nowMs) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String text = value.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? -1 : Math.multiplyExact(seconds, 1000L);
    } catch (NumberFormatException | ArithmeticException e) {
      // an HTTP date, below
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, Duration.ofMillis(at.toInstant().toEpochMilli() - nowMs).toMillis());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
