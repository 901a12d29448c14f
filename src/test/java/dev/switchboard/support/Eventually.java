package dev.switchboard.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it, with a deadline; never a fixed sleep standing in for timing. */
public final class Eventually {
  private Eventually() {
  }

  public static void await(Duration within, BooleanSupplier condition, Supplier<String> failure) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toMillis() + " ms: " + failure.get());
      }
      try {
        Thread.sleep(20); // polling interval, not a timing assumption
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
