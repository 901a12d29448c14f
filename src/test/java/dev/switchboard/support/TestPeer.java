package dev.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A raw WebSocket client speaking the PeerJS protocol by hand: what it receives is queued, tests take
 * it in order and wait with a deadline, never a sleep.
 */
public final class TestPeer implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final java.util.Set<String> ignored = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** How the server closed the socket. */
  public record Close(Short code, String reason) {
  }

  private TestPeer(WebSocketClient client, ClientWebSocket socket) {
    this.client = client;
    this.socket = socket;
    // Handlers go on before the connection exists, so not even a message that arrives with the
    // upgrade response (ERROR, then close) can be missed.
    socket.textMessageHandler(text -> {
      if (ignored.isEmpty() || !ignored.contains(typeOf(text))) {
        received.add(text);
      }
    });
    socket.binaryMessageHandler(b -> received.add("<binary " + b.length() + " bytes>"));
    socket.closeHandler(v -> closed.complete(new Close(socket.closeStatusCode(), socket.closeReason())));
  }

  /** Connects with any client and connect options (TLS, headers such as Origin or X-Forwarded-For). */
  public static TestPeer connect(Vertx vertx, io.vertx.core.http.WebSocketClientOptions clientOptions,
                                 WebSocketConnectOptions connect) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    TestPeer peer = new TestPeer(client, client.webSocket());
    try {
      Await.result(peer.socket.connect(connect));
    } catch (RuntimeException | AssertionError e) {
      client.close();
      throw e;
    }
    return peer;
  }

  /** Connects to {@code {path}peerjs?{query}} without waiting for any message. */
  public static TestPeer connectRaw(Vertx vertx, int port, String path, String query) {
    return connectWith(vertx, port, new WebSocketConnectOptions().setURI(path + "peerjs?" + query));
  }

  /**
   * Connects with full control of the upgrade (headers such as Cookie, subprotocols), without waiting
   * for any message.
   */
  public static TestPeer connectWith(Vertx vertx, int port, WebSocketConnectOptions options) {
    return connect(vertx, new io.vertx.core.http.WebSocketClientOptions(), options.setHost("127.0.0.1").setPort(port));
  }

  /**
   * Drops every message of these types from now on (a feature's frames a test of another feature does
   * not look at, e.g. the PRESENCE that room mates get of each other).
   */
  public TestPeer ignoring(String... types) {
    ignored.addAll(java.util.List.of(types));
    return this;
  }

  private static String typeOf(String text) {
    try {
      return new JsonObject(text).getString("type");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The query PeerJS 1.5.5 sends for {@code id} and {@code token} with key {@code peerjs}. */
  public static String query(String id, String token) {
    return "key=peerjs&id=" + id + "&token=" + token + "&version=1.5.5";
  }

  /** The client socket itself, for tests of the WebSocket protocol (pings, fragments, close frames). */
  public ClientWebSocket socket() {
    return socket;
  }

  /** The subprotocol the server chose, or {@code null}. */
  public String subProtocol() {
    return socket.subProtocol();
  }

  /** Connects as {@code id} with {@code token} under {@code /} with key {@code peerjs}. */
  public static TestPeer connect(Vertx vertx, int port, String id, String token) {
    return connectRaw(vertx, port, "/", "key=peerjs&id=" + id + "&token=" + token + "&version=1.5.5");
  }

  /** Connects and checks that the first message is OPEN. */
  public static TestPeer open(Vertx vertx, int port, String id) {
    TestPeer peer = connect(vertx, port, id, "token-" + id);
    peer.expectType("OPEN");
    return peer;
  }

  /**
   * Connects until the broker answers OPEN: for an id that was just released, which the broker frees
   * as soon as it sees the close. Retries only on ID-TAKEN or the concurrent-limit ERROR.
   */
  public static TestPeer openWhenFree(Vertx vertx, int port, String id, String token) {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (true) {
      TestPeer peer = connect(vertx, port, id, token);
      JsonObject first = peer.next();
      if ("OPEN".equals(first.getString("type"))) {
        return peer;
      }
      peer.close();
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(id + " not free within " + WAIT + ", last answer " + first);
      }
    }
  }

  public TestPeer send(String text) {
    Await.result(socket.writeTextMessage(text));
    return this;
  }

  public TestPeer send(JsonObject message) {
    return send(message.encode());
  }

  public TestPeer sendBinary(Buffer data) {
    Await.result(socket.writeBinaryMessage(data));
    return this;
  }

  /** Stops reading from the socket, as a client that hangs would. */
  public TestPeer stopReading() {
    socket.pause();
    return this;
  }

  /** The next text message as it arrived, waiting up to {@link #WAIT}. */
  public String nextText() {
    try {
      String text = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(text, "no message within " + WAIT);
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next text message if one arrives within {@code window}, else {@code null}. */
  public String poll(Duration window) {
    try {
      return received.poll(window.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public JsonObject next() {
    return new JsonObject(nextText());
  }

  /** Takes the next message and checks its type. */
  public JsonObject expectType(String type) {
    JsonObject message = next();
    assertEquals(type, message.getString("type"), () -> "unexpected message " + message);
    return message;
  }

  /** Takes the next message and checks it is ERROR with {@code text}. */
  public JsonObject expectError(String text) {
    JsonObject message = expectType("ERROR");
    assertEquals(text, message.getJsonObject("payload").getString("msg"));
    return message;
  }

  /**
   * Checks nothing more arrives. Absence can only be observed over a window; {@code window} is short
   * and every caller first provokes a message that would arrive before the one we expect not to.
   */
  public void expectNothing(Duration window) {
    try {
      String text = received.poll(window.toMillis(), TimeUnit.MILLISECONDS);
      assertNull(text, "unexpected message");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits for the server to close the socket. */
  public Close awaitClose() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("socket not closed within " + WAIT, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close();
    }
    client.close();
  }
}
