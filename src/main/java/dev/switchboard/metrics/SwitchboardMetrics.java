package dev.switchboard.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * Prometheus metrics for a broker: one registry holding the broker's series ({@link BrokerMetrics}),
 * Vert.x's own (pools, event bus, HTTP client) and the JVM's. {@code Main} wires it into
 * {@code Vertx.builder()}; an embedding application may do the same and pass it to
 * {@code Switchboard.start}.
 */
public final class SwitchboardMetrics {
  private final PrometheusMeterRegistry registry;
  private final BrokerMetrics broker;
  private final RoomMeters rooms;
  private final WebhookMeters webhooks;

  private SwitchboardMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.broker = new BrokerMetrics(registry);
    this.rooms = new RoomMeters(registry);
    this.webhooks = new WebhookMeters(registry);
  }

  /** A new Prometheus registry. */
  public static SwitchboardMetrics prometheus() {
    return new SwitchboardMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Metrics options for {@code VertxOptions}: JVM metrics on; labels limited so no path (which can carry
   * ids) is used. Vert.x's HTTP server series are off: a peer's connection leaves Vert.x after the
   * WebSocket upgrade (so Vert.x would never see it close), and they cost about 55 µs per connect. The
   * broker reports connections, peers and HTTP responses itself ({@link BrokerMetrics}).
   */
  public MetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        // Pool type and name keep each pool's series apart (a bounded set: Vert.x's worker and internal
        // pools, one per HTTP client). Without them every pool maps to one series, and Micrometer warns at
        // each start that the second pool's gauge is a duplicate it ignores.
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME));
  }

  /** The factory for {@code Vertx.builder().withMetrics(...)}, reporting into this registry. */
  public VertxMetricsFactory vertxMetricsFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** The listener to add to a broker. */
  public BrokerMetrics broker() {
    return broker;
  }

  /** Where rooms report (docs/rooms-presence.md). */
  public dev.switchboard.rooms.RoomMetrics rooms() {
    return rooms;
  }

  /** What webhook delivery reports into (docs/webhooks.md). */
  public WebhookMeters webhooks() {
    return webhooks;
  }

  /** Registers gauges read from the broker's state. */
  public void bindState(Supplier<Number> queuedMessages, Supplier<Number> queuedBytes, Supplier<Boolean> ready) {
    // Gauges hold their state weakly by default; these suppliers are lambdas nobody else keeps, so a
    // GC would turn the series into NaN.
    Gauge.builder("switchboard.queued.messages", queuedMessages, s -> s.get().doubleValue())
        .description("Messages waiting for absent peers").strongReference(true).register(registry);
    Gauge.builder("switchboard.queued.bytes", queuedBytes, s -> s.get().doubleValue())
        .description("Bytes of the messages waiting for absent peers").baseUnit("bytes").strongReference(true)
        .register(registry);
    Gauge.builder("switchboard.ready", ready, s -> s.get() ? 1 : 0)
        .description("1 when the broker takes new peers, 0 while starting or draining").strongReference(true)
        .register(registry);
  }

  /** Serves the Prometheus text format. */
  public Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  /** The registry, for applications that add their own meters. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
