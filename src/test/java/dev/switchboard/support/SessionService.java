package dev.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session service on loopback, as an application would run it: {@code GET /session} with
 * {@code Authorization: Bearer <token>} answers {@code {"userId": ...}} for a known token, 401 for an
 * unknown one. It counts requests (to prove caching and coalescing) and can be told to fail with a
 * status, to hang, or to hold answers until released.
 */
public final class SessionService implements AutoCloseable {
  private final java.util.Map<String, JsonObject> extras = new java.util.concurrent.ConcurrentHashMap<>();

  /** How the service answers. */
  public enum Mode { ANSWER, SLOW, FAIL, HANG, HOLD }

  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.ANSWER;
  private volatile int failStatus = 500;
  private volatile long delayMs;
  private volatile String userField = "userId";

  private SessionService(Vertx vertx) {
    this.vertx = vertx;
    server = vertx.createHttpServer().requestHandler(this::handle);
  }

  public static SessionService start(Vertx vertx) {
    SessionService service = new SessionService(vertx);
    Await.result(service.server.listen(0, "127.0.0.1"));
    return service;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/session";
  }

  /** Makes {@code token} a session of {@code userId}. */
  public SessionService user(String token, String userId) {
    users.put(token, userId);
    return this;
  }

  /** Adds {@code fields} to the answer for {@code token} (contacts, say). */
  public SessionService extra(String token, JsonObject fields) {
    extras.put(token, fields);
    return this;
  }

  public SessionService forget(String token) {
    users.remove(token);
    return this;
  }

  public SessionService answer() {
    mode = Mode.ANSWER;
    return this;
  }

  /** Answers correctly, after {@code ms}. */
  public SessionService slow(long ms) {
    delayMs = ms;
    mode = Mode.SLOW;
    return this;
  }

  public SessionService fail(int status) {
    failStatus = status;
    mode = Mode.FAIL;
    return this;
  }

  /** Never answers: the request stays open. */
  public SessionService hang() {
    mode = Mode.HANG;
    return this;
  }

  /** Keeps requests until {@link #release()}. */
  public SessionService hold() {
    mode = Mode.HOLD;
    return this;
  }

  /** Answers the held requests and goes back to answering at once. */
  public SessionService release() {
    mode = Mode.ANSWER;
    for (HttpServerRequest request : held) {
      respond(request);
    }
    held.clear();
    return this;
  }

  /** Names the user field differently (or {@code null}: leave it out). */
  public SessionService userField(String field) {
    userField = field;
    return this;
  }

  public int requests() {
    return requests.get();
  }

  public int held() {
    return held.size();
  }

  /** The Authorization headers received, in order. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    authorizations.add(String.valueOf(request.getHeader("Authorization")));
    switch (mode) {
      case FAIL -> request.response().setStatusCode(failStatus).end("failing on purpose");
      case HANG -> { }
      case HOLD -> held.add(request);
      case SLOW -> vertx.setTimer(delayMs, t -> respond(request));
      default -> respond(request);
    }
  }

  private void respond(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    String user = token == null ? null : users.get(token);
    if (user == null) {
      request.response().setStatusCode(401).end();
      return;
    }
    JsonObject body = new JsonObject().put("active", true);
    if (userField != null) {
      body.put(userField, user);
    }
    body.mergeIn(extras.getOrDefault(token, new JsonObject()));
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
