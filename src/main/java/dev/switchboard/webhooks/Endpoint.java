package dev.switchboard.webhooks;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One webhook URL: its bounded queue and its deliveries (docs/webhooks.md). Events of one resource go
 * one at a time, in order (a lane per resource); lanes go side by side, at most {@link #MAX_IN_FLIGHT}
 * requests at once. A failed attempt is retried after its {@link Backoff} delay (or the answer's
 * {@code Retry-After}) until the event's deadline; 410 Gone disables the URL; a full queue drops its
 * oldest event. Runs on one event loop: every method is called on the webhooks' context.
 */
final class Endpoint {
  private static final Logger LOG = Logger.getLogger(Endpoint.class.getName());
  /** Requests to one URL at once (the HTTP client's connections per host). */
  static final int MAX_IN_FLIGHT = 16;

  /** One event in this endpoint's queue. */
  static final class Pending {
    final WebhookEvent event;
    final long deadlineAt;
    final Backoff backoff;
    /** Told once whether the receiver took the event ({@code callee.wakeup}'s answer); may be null. */
    final Consumer<Boolean> settled;
    Lane lane;
    int failures;
    long timer = -1;
    boolean sending;
    boolean finished;

    Pending(WebhookEvent event, long deadlineAt, Backoff backoff, Consumer<Boolean> settled) {
      this.event = event;
      this.deadlineAt = deadlineAt;
      this.backoff = backoff;
      this.settled = settled;
    }
  }

  private static final class Lane {
    final String resource;
    final ArrayDeque<Pending> events = new ArrayDeque<>();
    boolean urgent;

    Lane(String resource) {
      this.resource = resource;
    }
  }

  private record Answer(int status, String retryAfter, Buffer body) {
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final String url;
  private final List<SigningSecret> secrets;
  private final Clock clock;
  private final long requestTimeout;
  private final int maxQueued;
  private final WebhookMetrics metrics;
  private final Map<String, Lane> lanes = new HashMap<>();
  private final LinkedHashSet<Pending> queued = new LinkedHashSet<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  /** Lanes of wake-ups: sent even while the URL rests. */
  private final ArrayDeque<Lane> readyUrgent = new ArrayDeque<>();
  private final AtomicInteger depth = new AtomicInteger();
  private final Pause pause;
  private long resumeTimer = -1;
  private int inFlight;
  private volatile boolean disabled;
  private volatile boolean closed;

  Endpoint(Vertx vertx, HttpClient client, String url, List<SigningSecret> secrets, Clock clock, long requestTimeout,
           int maxQueued, Backoff backoff, WebhookMetrics metrics) {
    this.vertx = vertx;
    this.client = client;
    this.url = url;
    this.secrets = secrets;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.maxQueued = maxQueued;
    this.metrics = metrics;
    this.pause = new Pause(backoff, clock);
  }

  /** Events waiting or being sent (any thread). */
  int depth() {
    return depth.get();
  }

  boolean disabled() {
    return disabled;
  }

  /** Queues {@code p} behind the events of its resource; a full queue first drops its oldest event. */
  void offer(Pending p) {
    if (disabled) {
      finishUnqueued(p, "disabled");
      return;
    }
    if (queued.size() >= maxQueued) {
      Pending oldest = queued.iterator().next();
      LOG.fine(() -> "webhook queue of " + url + " full; dropping " + oldest.event.type() + " " + oldest.event.id());
      finish(oldest, "dropped", false);
    }
    Lane lane = lanes.computeIfAbsent(p.event.resource(), Lane::new);
    p.lane = lane;
    lane.urgent |= p.settled != null;
    lane.events.add(p);
    queued.add(p);
    depth.incrementAndGet();
    if (lane.events.size() == 1) {
      makeReady(lane);
    }
    pump();
  }

  // A resting URL (Pause) gets only wake-ups; the rest wait in their lanes until it may be sent to.
  private void pump() {
    boolean resting = pause.remaining() > 0;
    if (resting && resumeTimer == -1) {
      resumeTimer = vertx.setTimer(Math.max(1, pause.remaining()), t -> {
        resumeTimer = -1;
        pump();
      });
    }
    drain(readyUrgent);
    if (!resting) {
      drain(ready);
    }
  }

  private void drain(ArrayDeque<Lane> lanesReady) {
    while (!closed && inFlight < MAX_IN_FLIGHT && !lanesReady.isEmpty()) {
      Lane lane = lanesReady.poll();
      Pending head = lane.events.peek();
      if (head == null) {
        lanes.remove(lane.resource, lane);
      } else if (head.sending || head.timer != -1) {
        continue; // on its way, or waiting for its retry
      } else if (clock.millis() > head.deadlineAt) {
        finish(head, "expired", false);
      } else {
        send(head);
      }
    }
  }

  private void makeReady(Lane lane) {
    (lane.urgent ? readyUrgent : ready).add(lane);
  }

  private void send(Pending p) {
    inFlight++;
    p.sending = true;
    long timestamp = TimeUnit.MILLISECONDS.toSeconds(clock.millis());
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setFollowRedirects(false)
        .putHeader("content-type", "application/json")
        .putHeader("webhook-id", p.event.id())
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", SigningSecret.header(secrets, p.event.id(), timestamp, p.event.body()));
    HttpClientRequest[] sent = new HttpClientRequest[1];
    client.request(request)
        .compose(r -> {
          sent[0] = r;
          return r.send(Buffer.buffer(p.event.body()))
              .compose(response -> response.body()
                  .map(body -> new Answer(response.statusCode(), response.getHeader("retry-after"), body)));
        })
        .timeout(timeoutOf(p), TimeUnit.MILLISECONDS)
        .onComplete(answer -> {
          if (answer.failed() && sent[0] != null) {
            sent[0].reset(); // a timed-out request must not keep its connection busy
          }
          inFlight--;
          p.sending = false;
          answered(p, answer);
          pump();
        });
  }

  // A wake-up's request may not outlast its deadline: the call is held meanwhile.
  private long timeoutOf(Pending p) {
    return p.settled == null ? requestTimeout : Math.max(1, Math.min(requestTimeout, p.deadlineAt - clock.millis()));
  }

  private void answered(Pending p, AsyncResult<Answer> result) {
    if (p.finished || closed) {
      return; // dropped (queue full) or disabled while it was on its way
    }
    Answer answer = result.succeeded() ? result.result() : null;
    if (answer != null && answer.status() >= 200 && answer.status() < 300) {
      pause.succeeded();
      boolean pushed = p.settled == null || !refusedPush(answer.body());
      if (!pushed) {
        metrics.attemptFailed("not_pushed");
      }
      finish(p, "delivered", pushed);
    } else if (answer != null && answer.status() == 410) {
      disable();
    } else {
      String reason = answer != null ? statusClass(answer.status()) : failureReason(result.cause());
      metrics.attemptFailed(reason);
      long retryAfter = answer == null ? -1 : Backoff.retryAfter(answer.retryAfter(), clock.millis());
      pause.failed(retryAfter);
      retry(p, retryAfter, reason);
    }
  }

  private void retry(Pending p, long retryAfter, String reason) {
    p.failures++;
    long delay = retryAfter >= 0 ? retryAfter : p.backoff.delay(p.failures);
    if (clock.millis() + delay > p.deadlineAt) {
      LOG.fine(() -> "webhook " + p.event.type() + " " + p.event.id() + " to " + url + " given up after "
          + p.failures + " attempts (" + reason + ")");
      finish(p, "expired", false);
      return;
    }
    p.timer = vertx.setTimer(Math.max(1, delay), t -> {
      p.timer = -1;
      makeReady(p.lane);
      pump();
    });
  }

  // {"pushed": false} from a wake-up's receiver: it could not wake the callee.
  private static boolean refusedPush(Buffer body) {
    try {
      return body.length() > 0 && Boolean.FALSE.equals(new JsonObject(body).getValue("pushed"));
    } catch (RuntimeException e) {
      return false; // a 2xx without a JSON object is a yes
    }
  }

  private static String statusClass(int status) {
    return status == 429 ? "status_429" : status >= 500 ? "status_5xx" : status >= 400 ? "status_4xx" : "status_3xx";
  }

  private static String failureReason(Throwable cause) {
    // Vert.x reports its own timeouts with several classes (the future's, Netty's connect timeout).
    boolean timedOut = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
        || String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
    return timedOut ? "timeout" : "connection";
  }

  // 410 Gone: the receiver wants nothing more from us (Standard Webhooks, "Delivery success and failure").
  private void disable() {
    disabled = true;
    LOG.warning(() -> "webhook URL " + url + " answered 410 Gone: disabled until restart; "
        + queued.size() + " waiting events dropped");
    metrics.endpointDisabled();
    for (Pending p : List.copyOf(queued)) {
      finish(p, "disabled", false);
    }
    ready.clear();
    readyUrgent.clear();
    lanes.clear();
  }

  private void finish(Pending p, String outcome, boolean taken) {
    p.finished = true;
    if (p.timer != -1) {
      vertx.cancelTimer(p.timer);
      p.timer = -1;
    }
    queued.remove(p);
    depth.decrementAndGet();
    Lane lane = p.lane;
    boolean wasHead = lane.events.peek() == p;
    lane.events.remove(p);
    if (wasHead) {
      if (lane.events.isEmpty()) {
        lanes.remove(lane.resource, lane);
      } else {
        makeReady(lane);
      }
    }
    report(p, outcome, taken);
  }

  private void finishUnqueued(Pending p, String outcome) {
    p.finished = true;
    report(p, outcome, false);
  }

  private void report(Pending p, String outcome, boolean taken) {
    metrics.finished(p.event.type(), outcome, "delivered".equals(outcome) ? clock.millis() - p.event.occurredAt() : 0);
    if (p.settled != null) {
      p.settled.accept(taken);
    }
  }

  /** Cancels retry timers; what waits is lost (docs/webhooks.md, "What is lost"). */
  void close() {
    closed = true;
    if (resumeTimer != -1) {
      vertx.cancelTimer(resumeTimer);
    }
    for (Pending p : queued) {
      if (p.timer != -1) {
        vertx.cancelTimer(p.timer);
      }
    }
  }

  @Override
  public String toString() {
    return url;
  }
}
