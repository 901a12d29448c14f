package dev.switchboard.webhooks;

import java.time.Clock;

/**
 * How long a failing URL rests (docs/webhooks.md, "Retries"): after each failed attempt nothing new is
 * sent to it for the {@link Backoff} delay of its run of failures (or what {@code Retry-After} asks), so an
 * outage costs at most {@link Endpoint#MAX_IN_FLIGHT} attempts per delay, not one per waiting resource.
 * A success ends the rest.
 * Wake-ups are not held by it: they have their own short deadline.
 */
final class Pause {
  private final Backoff backoff;
  private final Clock clock;
  private int failures;
  private long until;

  Pause(Backoff backoff, Clock clock) {
    this.backoff = backoff;
    this.clock = clock;
  }

  // The attempts that were on their way together fail together: they lengthen the rest once, not each.
  void failed(long retryAfter) {
    long now = clock.millis();
    if (now >= until) {
      failures++;
      until = now + backoff.delay(failures);
    }
    if (retryAfter >= 0) {
      until = Math.max(until, now + retryAfter);
    }
  }

  void succeeded() {
    failures = 0;
    until = 0;
  }

  /** Ms left to rest, 0 or less when the URL may be sent to. */
  long remaining() {
    return until - clock.millis();
  }
}
