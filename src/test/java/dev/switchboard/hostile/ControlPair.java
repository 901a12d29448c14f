package dev.switchboard.hostile;

import dev.switchboard.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two well-behaved peers that relay numbered messages through the broker without pause while an attack
 * runs: A sends OFFER n to B every few milliseconds, B answers ANSWER n. Every message either peer
 * receives is checked: strict UTF-8, one JSON object, and from its partner exactly the next number. What
 * comes from anyone else is kept aside as foreign, for the test to judge. {@link #settle} stops the
 * sender, waits for everything in flight and reports losses, disorder and disconnections.
 */
final class ControlPair implements AutoCloseable {
  private static final AtomicLong PAIRS = new AtomicLong();
  private static final long SEND_PERIOD_MS = 5;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final Side a;
  private final Side b;
  private final AtomicBoolean sending = new AtomicBoolean();
  private final long timer;
  private long sent; // guarded by this

  /** One peer of the pair. */
  private final class Side {
    final String id;
    final String partner;
    final String expectedType;
    final ClientWebSocket socket;
    final AtomicLong nextExpected = new AtomicLong();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<JsonObject> foreign = new CopyOnWriteArrayList<>();
    volatile String closed;
    private Buffer partial;
    private boolean opened;

    Side(String id, String partner, String expectedType) {
      this.id = id;
      this.partner = partner;
      this.expectedType = expectedType;
      this.socket = client.webSocket();
      socket.frameHandler(this::onFrame);
      socket.closeHandler(v -> closed = "closed by the server: " + socket.closeStatusCode() + " " + socket.closeReason());
      socket.exceptionHandler(e -> problems.add(id + ": " + e));
    }

    void connect(int port) {
      Await.result(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/peerjs?key=peerjs&id=" + id + "&token=token-" + id + "&version=1.5.5")));
    }

    // Frames are put together here rather than by Vert.x, so the bytes can be checked as they came.
    private void onFrame(WebSocketFrame frame) {
      if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
        return;
      }
      if (frame.isBinary()) {
        problems.add(id + " got a binary frame");
        return;
      }
      partial = frame.isContinuation() && partial != null ? partial.appendBuffer(frame.binaryData()) : frame.binaryData().copy();
      if (frame.isFinal()) {
        Buffer whole = partial;
        partial = null;
        onMessage(whole.getBytes());
      }
    }

    private void onMessage(byte[] bytes) {
      JsonObject message;
      try {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        message = new JsonObject(text);
      } catch (CharacterCodingException e) {
        problems.add(id + " got a text frame that is not UTF-8: " + bytes.length + " bytes");
        return;
      } catch (RuntimeException e) {
        problems.add(id + " got a frame that is not a JSON object: " + RawWebSocket.printable(new String(bytes, StandardCharsets.UTF_8)));
        return;
      }
      if (!opened) {
        opened = "OPEN".equals(message.getString("type"));
        if (!opened) {
          problems.add(id + ": first message was not OPEN: " + message);
        }
        return;
      }
      if (!partner.equals(message.getValue("src"))) {
        foreign.add(message);
        return;
      }
      JsonObject payload = message.getJsonObject("payload");
      long n = payload == null ? -1 : payload.getLong("n", -1L);
      long expected = nextExpected.get();
      if (!expectedType.equals(message.getString("type")) || n != expected) {
        problems.add(id + " expected " + expectedType + " " + expected + " from " + partner + ", got " + message);
        return;
      }
      nextExpected.incrementAndGet();
      if (this == b) {
        b.socket.writeTextMessage(relay("ANSWER", a.id, n));
      }
    }
  }

  /** Connects the pair to the broker on {@code port} and starts relaying. */
  ControlPair(Vertx vertx, int port) {
    this.vertx = vertx;
    long pair = PAIRS.incrementAndGet();
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
    this.a = new Side("controlA" + pair, "controlB" + pair, "ANSWER");
    this.b = new Side("controlB" + pair, "controlA" + pair, "OFFER");
    a.connect(port);
    b.connect(port);
    Await.until("both control peers are open", () -> a.opened && b.opened, 10);
    sending.set(true);
    timer = vertx.setPeriodic(SEND_PERIOD_MS, t -> tick());
  }

  private synchronized void tick() {
    if (sending.get() && a.closed == null) {
      a.socket.writeTextMessage(relay("OFFER", b.id, sent++));
    }
  }

  private static String relay(String type, String dst, long n) {
    return "{\"type\":\"" + type + "\",\"dst\":\"" + dst + "\",\"payload\":{\"n\":" + n + ",\"sdp\":\"v=0\"}}";
  }

  List<String> ids() {
    return List.of(a.id, b.id);
  }

  String receiverId() {
    return b.id;
  }

  String senderId() {
    return a.id;
  }

  /** Messages the receiving peer got from someone other than its partner; taken, so each is judged once. */
  List<JsonObject> takeForeign() {
    List<JsonObject> taken = new java.util.ArrayList<>(b.foreign);
    b.foreign.removeAll(taken);
    List<JsonObject> fromA = new java.util.ArrayList<>(a.foreign);
    a.foreign.removeAll(fromA);
    taken.addAll(fromA);
    return taken;
  }

  /**
   * Stops sending, waits up to {@code seconds} for every message in flight, and fails with everything
   * that went wrong: a message lost or out of order, a control peer closed, anything invalid or foreign
   * delivered to one. Sending resumes afterwards.
   */
  void settle(int seconds) {
    long expected;
    synchronized (this) {
      sending.set(false);
      expected = sent;
    }
    try {
      Await.until("control messages in flight arrive", () -> b.nextExpected.get() >= expected
          && a.nextExpected.get() >= expected || a.closed != null || b.closed != null
          || !a.problems.isEmpty() || !b.problems.isEmpty(), seconds);
    } catch (AssertionError e) {
      // reported below with the counts
    }
    StringBuilder wrong = new StringBuilder();
    for (Side side : List.of(a, b)) {
      if (side.closed != null) {
        wrong.append(side.id).append(' ').append(side.closed).append('\n');
      }
      side.problems.forEach(p -> wrong.append(p).append('\n'));
      side.foreign.forEach(f -> wrong.append(side.id).append(" got a message from a stranger: ")
          .append(RawWebSocket.printable(f.encode())).append('\n'));
    }
    long lost = (expected - b.nextExpected.get()) + (expected - a.nextExpected.get());
    if (lost > 0) {
      wrong.append(lost).append(" control messages lost of ").append(2 * expected).append('\n');
    }
    if (wrong.length() > 0) {
      throw new AssertionError("control pair disturbed:\n" + wrong);
    }
    sending.set(true);
  }

  /** Whether both peers are still connected and nothing went wrong so far. */
  boolean intact() {
    return a.closed == null && b.closed == null && a.problems.isEmpty() && b.problems.isEmpty();
  }

  /** Messages relayed both ways so far. */
  long relayed() {
    return a.nextExpected.get() + b.nextExpected.get();
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    client.close();
  }
}
