package dev.switchboard.webhooks;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Brokers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Base64;
import java.util.List;

/** Options and metric reads shared by the webhook tests: short timeouts and backoff, so retries are quick. */
final class WebhookTesting {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString("an older secret, 32 bytes long!!".getBytes());

  private WebhookTesting() {
  }

  static SwitchboardOptions options(String url) {
    return Brokers.options()
        .set(WebhookSettings.WEBHOOK_URL, List.of(url))
        .set(WebhookSettings.WEBHOOK_SECRET, List.of(SECRET))
        .set(WebhookSettings.WEBHOOK_RETRY_INITIAL, 20L)
        .set(WebhookSettings.WEBHOOK_RETRY_MAX_DELAY, 200L)
        .set(WebhookSettings.WEBHOOK_TIMEOUT, 500L)
        .set(WebhookSettings.WEBHOOK_WAKEUP_DEADLINE, 1_000L);
  }

  static double count(MeterRegistry registry, String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
