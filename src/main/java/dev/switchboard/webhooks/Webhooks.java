package dev.switchboard.webhooks;

import dev.switchboard.calls.CallService;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.OfflineMailbox;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.switchboard.calls.CallSettings.RECONNECT_GRACE;
import static dev.switchboard.webhooks.WebhookSettings.WAKEUP_ON_OFFER;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_CONNECT_TIMEOUT;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_EVENTS;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_MAX_AGE;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_QUEUE_SIZE;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_RETRY_INITIAL;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_RETRY_MAX_DELAY;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_SECRET;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_TIMEOUT;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_URL;
import static dev.switchboard.webhooks.WebhookSettings.WEBHOOK_WAKEUP_DEADLINE;

/**
 * Signed webhooks to the application's backend (docs/webhooks.md): the event sink every feature
 * publishes to with {@link #publish}, the listener that turns peer and call events into webhooks, and
 * the wake-up of offline callees. Delivery never runs on the relay path: {@code publish} encodes the
 * event and hands it to the webhooks' own event loop, which queues, sends and retries it per URL.
 *
 * <p>Without {@code --webhook_url} it is off: {@link #publish} does nothing.
 */
public final class Webhooks {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final List<Endpoint> endpoints;
  private final Set<String> types;
  private final HttpClient client;
  private final Backoff backoff;
  private final Backoff wakeBackoff;
  private final long maxAgeMs;
  private final long wakeDeadlineMs;

  private Webhooks(Vertx vertx, SwitchboardOptions options, Clock clock, WebhookMetrics metrics) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.clock = clock;
    List<String> urls = WebhookSettings.enabled(options) ? options.get(WEBHOOK_URL) : List.of();
    List<String> only = options.get(WEBHOOK_EVENTS);
    this.types = Set.copyOf(only != null ? only : EventTypes.ALL);
    this.maxAgeMs = options.get(WEBHOOK_MAX_AGE);
    this.wakeDeadlineMs = options.get(WEBHOOK_WAKEUP_DEADLINE);
    this.backoff = new Backoff(options.get(WEBHOOK_RETRY_INITIAL), options.get(WEBHOOK_RETRY_MAX_DELAY));
    // A wake-up is worth something only while the call rings: quick retries, a quarter of the usual start.
    this.wakeBackoff = new Backoff(Math.max(10, options.get(WEBHOOK_RETRY_INITIAL) / 4), wakeDeadlineMs);
    this.client = urls.isEmpty() ? null : vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.get(WEBHOOK_CONNECT_TIMEOUT)))
            .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(Endpoint.MAX_IN_FLIGHT));
    List<SigningSecret> secrets = new ArrayList<>();
    for (String secret : urls.isEmpty() ? List.<String>of() : options.get(WEBHOOK_SECRET)) {
      secrets.add(SigningSecret.parse(secret));
    }
    List<Endpoint> list = new ArrayList<>();
    for (String url : urls) {
      list.add(new Endpoint(vertx, client, url, List.copyOf(secrets), clock, options.get(WEBHOOK_TIMEOUT),
          options.get(WEBHOOK_QUEUE_SIZE), backoff, metrics));
    }
    this.endpoints = List.copyOf(list);
    if (!endpoints.isEmpty()) {
      metrics.bindQueueDepth(this::queueDepth);
    }
  }

  /**
   * Installs webhooks on a switchboard: with {@code --webhook_url}, listens for peer and call events
   * (through {@code listeners}, and {@code departures} for {@code peer.offline} after the reconnect
   * grace), wakes offline callees for {@code calls}, and with {@code --wakeup_on_offer} holds
   * {@code mailbox} queues of woken peers.
   */
  public static Webhooks install(Vertx vertx, SwitchboardOptions options, Clock clock, Consumer<BrokerListener> listeners,
                                 Departures departures, CallService calls, Rooms rooms, OfflineMailbox mailbox,
                                 WebhookMetrics metrics) {
    Webhooks webhooks = new Webhooks(vertx, options, clock, metrics);
    if (!webhooks.enabled()) {
      return webhooks;
    }
    BrokerEvents events = new BrokerEvents(webhooks, clock);
    listeners.accept(events);
    departures.subscribe(options.get(RECONNECT_GRACE), events::departed, events::back);
    rooms.addListener(new RoomEvents(webhooks));
    WakeUps wakeUps = new WakeUps(webhooks, clock, calls, mailbox, options.get(WAKEUP_ON_OFFER));
    calls.wakeWith(wakeUps);
    listeners.accept(wakeUps);
    return webhooks;
  }

  /** Whether any URL is configured. */
  public boolean enabled() {
    return !endpoints.isEmpty();
  }

  /** Whether events of {@code type} are sent (a URL is configured, the type passes --webhook_events). */
  public boolean sends(String type) {
    return enabled() && types.contains(type);
  }

  /**
   * Sends event {@code type} about {@code resourceKey} (e.g. {@code user:alice}, {@code call:Qm9…},
   * {@code room:lobby}) to every URL, after the earlier events of that resource. Returns at once; any
   * thread. Data must carry ids, never tokens.
   *
   * @throws IllegalArgumentException when {@code type} is not in {@link EventTypes}
   */
  public void publish(String type, String resourceKey, JsonObject data) {
    publish(type, resourceKey, data, null);
  }

  /**
   * As {@link #publish(String, String, JsonObject)}, with a short deadline and quick retries
   * ({@code --webhook_wakeup_deadline}) when {@code taken} is set; {@code taken} then hears, on the
   * webhooks' event loop, per URL whether the receiver took it (2xx without {@code "pushed": false}).
   *
   * @return how many URLs it is sent to
   */
  int publish(String type, String resourceKey, JsonObject data, Consumer<Boolean> taken) {
    if (!EventTypes.known(type)) {
      throw new IllegalArgumentException("unknown webhook event type " + type + "; add it to EventTypes");
    }
    Objects.requireNonNull(resourceKey, "resourceKey");
    if (!sends(type)) {
      return 0;
    }
    long now = clock.millis();
    byte[] body = new JsonObject().put("type", type).put("timestamp", Instant.ofEpochMilli(now).toString())
        .put("data", data).encode().getBytes(StandardCharsets.UTF_8);
    WebhookEvent event = new WebhookEvent(newId(), type, resourceKey, now, body);
    long deadline = now + (taken != null ? wakeDeadlineMs : maxAgeMs);
    Backoff schedule = taken != null ? wakeBackoff : backoff;
    context.runOnContext(v -> {
      for (Endpoint endpoint : endpoints) {
        endpoint.offer(new Endpoint.Pending(event, deadline, schedule, taken));
      }
    });
    return endpoints.size();
  }

  int endpointCount() {
    return endpoints.size();
  }

  /** Events waiting or being sent, over all URLs. */
  public int queueDepth() {
    int depth = 0;
    for (Endpoint endpoint : endpoints) {
      depth += endpoint.depth();
    }
    return depth;
  }

  /** How many URLs answered 410 Gone and get nothing more. */
  public int disabledEndpoints() {
    AtomicInteger disabled = new AtomicInteger();
    endpoints.forEach(e -> {
      if (e.disabled()) {
        disabled.incrementAndGet();
      }
    });
    return disabled.get();
  }

  /** Stops retrying and closes the HTTP client; events still waiting are lost. */
  public void close() {
    if (client != null) {
      context.runOnContext(v -> {
        endpoints.forEach(Endpoint::close);
        client.close();
      });
    }
  }

  // Standard Webhooks: an id without '.', the same on every retry.
  static String newId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  Vertx vertx() {
    return vertx;
  }
}
