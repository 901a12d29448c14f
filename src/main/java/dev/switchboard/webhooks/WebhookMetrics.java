package dev.switchboard.webhooks;

import java.util.function.IntSupplier;

/**
 * What webhook delivery reports, for metrics (docs/deploy.md's table). No-op by default; the Micrometer
 * implementation is {@code dev.switchboard.metrics.WebhookMeters}. Called on the webhooks' event loop.
 */
public interface WebhookMetrics {
  /** Reports nothing. */
  WebhookMetrics NONE = new WebhookMetrics() {
  };

  /**
   * An event left an endpoint's queue: {@code outcome} is {@code delivered}, {@code expired} (too old to
   * retry), {@code dropped} (queue full: the oldest goes) or {@code disabled} (the endpoint answered 410).
   *
   * @param latencyMs from the event to its 2xx answer (delivered only)
   */
  default void finished(String type, String outcome, long latencyMs) {
  }

  /** An attempt failed: {@code reason} is {@code status_3xx}, {@code status_4xx}, {@code status_429},
   * {@code status_5xx}, {@code timeout}, {@code connection} or {@code not_pushed} (a wake-up refused). */
  default void attemptFailed(String reason) {
  }

  /** An endpoint answered 410 Gone and gets nothing more until restart. */
  default void endpointDisabled() {
  }

  /** Events waiting now, over all endpoints (read at scrape time, from any thread). */
  default void bindQueueDepth(IntSupplier depth) {
  }
}
