package dev.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
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
  private final WebSocket socket;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();

  /** How the server closed the socket. */
  public record Close(Short code, String reason) {
  }

  private TestPeer(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  /** Connects to {@code {path}peerjs?{query}} without waiting for any message. */
  public static TestPeer connectRaw(Vertx vertx, int port, String path, String query) {
    return connect(vertx, new io.vertx.core.http.WebSocketClientOptions(), new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(port).setURI(path + "peerjs?" + query));
  }

  /** Connects with any client and connect options (TLS, headers such as Origin or X-Forwarded-For). */
  public static TestPeer connect(Vertx vertx, io.vertx.core.http.WebSocketClientOptions clientOptions,
                                 WebSocketConnectOptions connect) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    // Handlers go on before connecting: set after (in a callback of connect's future, which may run on
    // this thread when the future has already completed) they could miss the first frames, OPEN
    // included, or find a refused socket already closed.
    ClientWebSocket socket = client.webSocket();
    TestPeer peer = new TestPeer(client, socket);
    socket.textMessageHandler(peer.received::add);
    socket.binaryMessageHandler(b -> peer.received.add("<binary " + b.length() + " bytes>"));
    socket.closeHandler(v -> peer.closed.complete(new Close(socket.closeStatusCode(), socket.closeReason())));
    try {
      Await.result(socket.connect(connect));
    } catch (RuntimeException | AssertionError e) {
      client.close();
      throw e;
    }
    return peer;
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
