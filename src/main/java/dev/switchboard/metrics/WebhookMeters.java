package dev.switchboard.metrics;

import dev.switchboard.webhooks.WebhookMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Webhook delivery's series (docs/deploy.md): events by type and outcome, failed attempts by reason,
 * disabled URLs, the queue depth and the delivery latency. Labels are bounded sets: event types, outcomes
 * and reasons, never a URL (it may carry a key) or an id.
 */
public final class WebhookMeters implements WebhookMetrics {
  private final MeterRegistry registry;
  private final Counter disabled;
  private final Timer latency;

  WebhookMeters(MeterRegistry registry) {
    this.registry = registry;
    this.disabled = Counter.builder("switchboard.webhook.endpoints.disabled")
        .description("Webhook URLs that answered 410 Gone and were disabled").register(registry);
    this.latency = Timer.builder("switchboard.webhook.delivery.latency")
        .description("From an event to the 2xx answer of a webhook URL").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
  }

  @Override
  public void finished(String type, String outcome, long latencyMs) {
    Counter.builder("switchboard.webhook.deliveries").description("Webhook events that left a URL's queue, by outcome")
        .tag("type", type).tag("outcome", outcome).register(registry).increment();
    if ("delivered".equals(outcome)) {
      latency.record(latencyMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void attemptFailed(String reason) {
    Counter.builder("switchboard.webhook.failures").description("Webhook attempts that failed, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  @Override
  public void endpointDisabled() {
    disabled.increment();
  }

  @Override
  public void bindQueueDepth(IntSupplier depth) {
    Gauge.builder("switchboard.webhook.queue.depth", depth, IntSupplier::getAsInt)
        .description("Webhook events waiting or being sent, over all URLs").strongReference(true).register(registry);
  }
}
