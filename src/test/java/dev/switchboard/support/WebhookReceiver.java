package dev.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real webhook receiver for tests: a Vert.x HTTP server on loopback, port 0, that checks every request
 * as a Standard Webhooks consumer does (POST, JSON, the three headers, at least one {@code v1} signature
 * matching one of its secrets, in constant time, and the body's shape) and answers as scripted. Any
 * request that fails a check is recorded as a {@link #problems() problem}; tests assert there is none.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One request as received. */
  public record Hit(String id, long timestampSeconds, List<String> signatures, JsonObject body, long receivedNanos,
                    int answeredStatus) {
    public String type() {
      return body.getString("type");
    }

    public JsonObject data() {
      return body.getJsonObject("data");
    }
  }

  /** What to answer: a status, a body, a Retry-After, or no answer at all (the sender times out). */
  public record Reply(int status, String body, String retryAfter, boolean silent) {
    public static Reply ok() {
      return new Reply(204, "", null, false);
    }

    public static Reply status(int status) {
      return new Reply(status, "", null, false);
    }

    public static Reply json(String body) {
      return new Reply(200, body, null, false);
    }

    public static Reply retryAfter(int status, String value) {
      return new Reply(status, "", value, false);
    }

    public static Reply silence() {
      return new Reply(0, "", null, true);
    }
  }

  private final HttpServer server;
  private final List<byte[]> secrets;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Hit> answered = new LinkedBlockingQueue<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private volatile Function<JsonObject, Reply> rule = body -> Reply.ok();

  private WebhookReceiver(Vertx vertx, List<String> secrets) {
    this.secrets = secrets.stream().map(s -> Base64.getDecoder().decode(s.substring("whsec_".length()))).toList();
    this.server = Await.result(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  /** A receiver that accepts signatures of any of {@code secrets} ({@code whsec_…}). */
  public static WebhookReceiver start(Vertx vertx, String... secrets) {
    return new WebhookReceiver(vertx, List.of(secrets));
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks";
  }

  /** The next requests are answered with these, in order, before {@link #answerWith} applies again. */
  public WebhookReceiver script(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** How to answer requests the script does not cover. */
  public WebhookReceiver answerWith(Function<JsonObject, Reply> rule) {
    this.rule = rule;
    return this;
  }

  /** Forgets what was received (after a warm-up). */
  public void forget() {
    hits.clear();
    answered.clear();
  }

  /** Every request, in arrival order. */
  public List<Hit> hits() {
    return List.copyOf(hits);
  }

  /** Checks requests failed: wrong method, headers, signatures, body. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The next request that was answered 2xx (delivered), waiting up to 10 s. */
  public Hit nextDelivered() {
    return nextDelivered(Duration.ofSeconds(10));
  }

  public Hit nextDelivered(Duration within) {
    try {
      Hit hit = answered.poll(within.toMillis(), TimeUnit.MILLISECONDS);
      if (hit == null) {
        throw new AssertionError("no webhook delivered within " + within.toMillis() + " ms; requests so far: " + hits);
      }
      return hit;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next delivered event of {@code type}, skipping others. */
  public Hit nextDelivered(String type) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Hit hit = nextDelivered(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (type.equals(hit.type())) {
        return hit;
      }
    }
  }

  /** Waits out {@code window}, taking what is delivered meanwhile (to see that no duplicate follows). */
  public List<Hit> deliveredWithin(Duration window) {
    List<Hit> got = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    try {
      for (long left = window.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        Hit hit = answered.poll(left, TimeUnit.NANOSECONDS);
        if (hit != null) {
          got.add(hit);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return got;
  }

  /** Whether nothing more is delivered within {@code window}. */
  public void expectNoDelivery(Duration window) {
    try {
      Hit hit = answered.poll(window.toMillis(), TimeUnit.MILLISECONDS);
      if (hit != null) {
        throw new AssertionError("unexpected delivery " + hit + "; all requests: " + hits);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Where a browser test's driver can GET the bodies of the events delivered so far (a JSON array). */
  public String receivedUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/received";
  }

  private void handle(HttpServerRequest request) {
    if ("GET".equals(request.method().name()) && "/received".equals(request.path())) {
      io.vertx.core.json.JsonArray bodies = new io.vertx.core.json.JsonArray();
      delivered().forEach(hit -> bodies.add(hit.body()));
      request.response().putHeader("content-type", "application/json").end(bodies.encode());
      return;
    }
    long received = System.nanoTime();
    request.body().onSuccess(body -> {
      Hit hit = check(request, body.getBytes(), received);
      Reply reply = script.poll();
      if (reply == null) {
        reply = rule.apply(hit == null ? new JsonObject() : hit.body());
      }
      if (hit != null) {
        Hit recorded = new Hit(hit.id(), hit.timestampSeconds(), hit.signatures(), hit.body(), received,
            reply.silent() ? 0 : reply.status());
        hits.add(recorded);
        if (!reply.silent() && reply.status() >= 200 && reply.status() < 300) {
          answered.add(recorded);
        }
      }
      if (reply.silent()) {
        held.add(request);
        return;
      }
      if (reply.retryAfter() != null) {
        request.response().putHeader("retry-after", reply.retryAfter());
      }
      request.response().setStatusCode(reply.status()).end(reply.body());
    });
  }

  private Hit check(HttpServerRequest request, byte[] body, long received) {
    String id = request.getHeader("webhook-id");
    String timestamp = request.getHeader("webhook-timestamp");
    String signature = request.getHeader("webhook-signature");
    if (!"POST".equals(request.method().name()) || !"application/json".equals(request.getHeader("content-type"))
        || id == null || timestamp == null || signature == null || id.contains(".") || !timestamp.matches("\\d{1,12}")) {
      problems.add("bad request: " + request.method() + " " + request.headers().entries());
      return null;
    }
    List<String> signatures = List.of(signature.split(" "));
    byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    boolean verified = false;
    for (String candidate : signatures) {
      if (candidate.startsWith("v1,")) {
        byte[] given;
        try {
          given = Base64.getDecoder().decode(candidate.substring(3));
        } catch (IllegalArgumentException e) {
          continue;
        }
        for (byte[] secret : secrets) {
          verified |= MessageDigest.isEqual(hmac(secret, signed, body), given);
        }
      }
    }
    JsonObject json;
    try {
      json = new JsonObject(new String(body, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      problems.add("body is not a JSON object: " + new String(body, StandardCharsets.UTF_8));
      return null;
    }
    if (!verified) {
      problems.add("no valid signature on " + id + ": " + signature);
    }
    if (json.getString("type") == null || json.getString("timestamp") == null || json.getJsonObject("data") == null
        || json.size() != 3) {
      problems.add("body is not {type, timestamp, data}: " + json);
    }
    return new Hit(id, Long.parseLong(timestamp), signatures, json, received, 0);
  }

  static byte[] hmac(byte[] secret, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** Events of {@code type}s delivered so far (2xx), in delivery order. */
  public List<Hit> delivered() {
    List<Hit> out = new ArrayList<>();
    for (Hit hit : hits) {
      if (hit.answeredStatus() >= 200 && hit.answeredStatus() < 300) {
        out.add(hit);
      }
    }
    return out;
  }

  @Override
  public void close() {
    held.forEach(r -> r.connection().close());
    Await.result(server.close());
  }
}
