package dev.switchboard.transport.xhr;

import dev.switchboard.transport.VertxInternals;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One response a peer reads its messages from: a stream of lines that stays open, or a long-poll that
 * is answered with one batch of lines. Its methods are called holding the owning link's monitor
 * ({@code lock}), from any event loop. Writes from other loops wait in an outbox, in the order the lock
 * gave them, and are carried to the response's own loop in one task, so the response is only ever
 * written on its own loop.
 *
 * <p>Every byte handed to a stream is reported to its {@code backlog} until it has left for the client
 * (written to the socket) or is dropped: lines waiting to be paced, in the outbox to the response's loop,
 * or in the connection's write buffer. A link adds them to its own outbox to bound what one client holds
 * ({@code send_buffer}). An ended response that the client does not take within
 * {@link #CLOSING_TIMEOUT_MS} has its connection closed, which frees what it still holds.
 */
final class XhrStream {
  /** PeerServer 0.x: 2048 {@code 0}s, so browsers and proxies start handing over the body at once. */
  private static final Buffer PADDING = Buffer.buffer("0".repeat(2048) + "\n");
  /**
   * PeerJS 0.3.x reads one line per readystatechange, and Chromium fires one per chunk it receives:
   * lines that arrive together leave all but the first unread until more data comes. Lines on such a
   * stream are therefore written apart, and a lone space follows the last of them: should two lines
   * still have arrived together, that space gives the client the event to read the second. The space
   * only prefixes the next line (JSON allows it); never two spaces without a line between them, since
   * 0.3.x drops a partial line that is still incomplete at the following event.
   */
  static final long LEGACY_LINE_GAP_MS = 25;
  private static final Buffer NUDGE = Buffer.buffer(" ");
  /** How long an ended response may wait for its client to take it before the connection is closed. */
  static final long CLOSING_TIMEOUT_MS = 10_000;
  /** For responses that carry one notice and end: nothing of theirs is counted. */
  static final LongConsumer NOT_COUNTED = bytes -> { };

  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final LongConsumer backlog;
  private final Vertx vertx;
  private final Context context;
  private final ArrayDeque<Runnable> outbox = new ArrayDeque<>();
  private boolean outboxScheduled;
  private final Object lock;
  private final boolean poll;
  private final boolean paced;
  private final long openedAt;
  private final ArrayDeque<byte[]> unsent = new ArrayDeque<>();
  private long lastWriteNanos;
  private boolean timerSet;
  private boolean nudgeDue;
  private boolean ended;
  private boolean gone;
  private Runnable onGone;
  /** Highest sequence number written to this stream (sequenced streams only). */
  long sentUpTo;

  private XhrStream(HttpServerRequest request, Vertx vertx, Object lock, LongConsumer backlog, boolean poll,
                    boolean paced, long openedAt) {
    this.response = request.response();
    this.connection = request.connection();
    this.backlog = backlog;
    this.vertx = vertx;
    this.context = Vertx.currentContext();
    this.lock = lock;
    this.poll = poll;
    this.paced = paced;
    this.openedAt = openedAt;
  }

  /**
   * Starts the response: status, headers and, for a stream, the padding line.
   *
   * @param lock the monitor that guards this stream (its link's)
   * @param backlog told, holding {@code lock}, of bytes handed to the stream (positive) and of bytes that
   *     left it (negative)
   * @param paced whether lines are written apart (PeerJS 0.3.x)
   */
  static XhrStream open(HttpServerRequest request, Vertx vertx, Object lock, LongConsumer backlog, boolean poll,
                        boolean paced, long now) {
    XhrStream stream = new XhrStream(request, vertx, lock, backlog, poll, paced, now);
    HttpServerResponse response = request.response();
    response.setChunked(true)
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Cache-Control", "no-cache, no-store")
        // nginx: do not buffer this response (see docs/xhr.md)
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> stream.onClosed());
    response.exceptionHandler(e -> stream.onClosed());
    if (poll) {
      response.writeHead(); // the client sees the poll is taken; the body follows when there is news
    } else {
      response.write(PADDING);
    }
    return stream;
  }

  boolean isPoll() {
    return poll;
  }

  long openedAt() {
    return openedAt;
  }

  /** Whether the client went away or the response was ended. */
  boolean isOver() {
    return ended || gone;
  }

  /** Runs {@code action} (under the lock) once the client has gone away, at once if it already has. */
  void whenGone(Runnable action) {
    if (gone) {
      action.run();
    } else {
      onGone = action;
    }
  }

  private void onClosed() {
    synchronized (lock) {
      if (gone) {
        return;
      }
      gone = true;
      if (onGone != null && !ended) {
        onGone.run();
      }
    }
  }

  // Runs a response operation on the response's event loop, after any still waiting. Holds the lock.
  private void onResponseLoop(Runnable operation) {
    if (outbox.isEmpty() && Vertx.currentContext() == context) {
      operation.run();
      return;
    }
    outbox.add(operation);
    if (!outboxScheduled) {
      outboxScheduled = true;
      context.runOnContext(v -> {
        synchronized (lock) {
          outboxScheduled = false;
          for (Runnable next; (next = outbox.poll()) != null; ) {
            next.run();
          }
        }
      });
    }
  }

  /** A response that carries at most a notice or two and ends: its bytes are not counted. */
  static XhrStream notice(HttpServerRequest request, Vertx vertx, boolean poll, long now) {
    return open(request, vertx, new Object(), NOT_COUNTED, poll, false, now);
  }

  /** Writes one message as a line (a stream), paced when asked to. */
  void writeLine(byte[] line) {
    if (isOver()) {
      return;
    }
    backlog.accept(line.length);
    if (paced && (!unsent.isEmpty() || System.nanoTime() - lastWriteNanos < LEGACY_LINE_GAP_MS * 1_000_000)) {
      unsent.add(line);
      scheduleNext();
      return;
    }
    writeNow(line);
  }

  private void writeNow(byte[] line) {
    lastWriteNanos = System.nanoTime();
    Buffer data = Buffer.buffer(line.length + 1).appendBytes(line).appendByte((byte) '\n');
    onResponseLoop(() -> write(data).onComplete(done -> left(line.length)));
    if (paced) {
      nudgeDue = true;
      scheduleNext();
    }
  }

  private void scheduleNext() {
    if (timerSet) {
      return;
    }
    timerSet = true;
    vertx.setTimer(LEGACY_LINE_GAP_MS, t -> {
      synchronized (lock) {
        timerSet = false;
        if (isOver()) {
          return;
        }
        if (!unsent.isEmpty()) {
          writeNow(unsent.poll());
        } else if (nudgeDue) {
          nudgeDue = false;
          onResponseLoop(() -> response.write(NUDGE));
        }
      }
    });
  }

  // On the response's loop, holding the lock. A response already ended or gone takes nothing more.
  private Future<Void> write(Buffer data) {
    if (response.ended() || response.closed()) {
      return Future.failedFuture("response over");
    }
    return response.write(data);
  }

  // Bytes that reached the client's socket, or never will: they no longer wait for it.
  private void left(long bytes) {
    synchronized (lock) {
      backlog.accept(-bytes);
    }
  }

  /** Lines handed to this stream but not written yet (paced streams); they are no longer this stream's. */
  List<byte[]> takeUnsent() {
    List<byte[]> lines = new ArrayList<>(unsent);
    unsent.clear();
    long bytes = 0;
    for (byte[] line : lines) {
      bytes += line.length;
    }
    backlog.accept(-bytes);
    return lines;
  }

  /**
   * Answers a long-poll with {@code lines} (each without its newline), or ends a stream after them.
   *
   * @return completes once the response is written out, or at once when it was already over
   */
  Future<Void> end(List<byte[]> lines) {
    if (ended) {
      return Future.succeededFuture();
    }
    ended = true;
    if (gone) {
      return Future.succeededFuture();
    }
    Buffer body = Buffer.buffer();
    for (byte[] line : lines) {
      body.appendBytes(line).appendByte((byte) '\n');
    }
    int bytes = body.length();
    backlog.accept(bytes);
    Promise<Void> written = Promise.promise();
    onResponseLoop(() -> response.end(body).onComplete(done -> {
      left(bytes);
      written.handle(done);
    }));
    // A client that stops reading would keep the connection and its unwritten bytes for ever: as a
    // WebSocket's close handshake, the wait is bounded.
    long timer = vertx.setTimer(CLOSING_TIMEOUT_MS, t -> dropConnection());
    written.future().onComplete(done -> vertx.cancelTimer(timer));
    return written.future();
  }

  // Closed with what it held: Vert.x's own close would wait for a client that does not read
  // (XhrSlowConsumerTest fails if Vert.x changes underneath).
  private void dropConnection() {
    VertxInternals.dropConnection(connection);
  }

  Future<Void> end() {
    return end(List.of());
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
