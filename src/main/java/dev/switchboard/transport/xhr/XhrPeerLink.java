package dev.switchboard.transport.xhr;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.AbstractPeerLink;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.SignalRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A peer connected over XHR: registered once, read through a succession of streams or long-polls. The
 * link outlives each of them, so a new stream replacing the old (PeerJS 0.3.x rotates every 25 s) never
 * unregisters the peer; messages go to the newest stream, and wait in the outbox while there is none.
 *
 * <p>Two dialects:
 * <ul>
 *   <li><b>legacy</b> (PeerJS 0.3.x, PeerServer 0.2.10's format): one JSON message per line. A message
 *       leaves the outbox once it is handed to a stream.</li>
 *   <li><b>sequenced</b> (the peerjs-patches add-on): each line is {@code [seq,message]}; the client
 *       acknowledges the last seq it read on every request ({@code ack=N}), and the outbox keeps a
 *       message until it is acknowledged, so a stream or poll lost in flight is resent on the next one
 *       and the client drops what it already has: no loss, no duplicate.</li>
 * </ul>
 *
 * <p>What waits for the client is bounded by {@code send_buffer}, counted in bytes wherever it waits: in
 * the outbox (unsent, or sent but not acknowledged) and on its way through a stream (paced, handed to
 * the response's loop, in a connection's write buffer, including streams already replaced whose client
 * has not taken them). A message that would go over it ends the peer as too slow, as for a WebSocket.
 *
 * <p>The state spans several HTTP connections, possibly on different event loops, so it is guarded by
 * this object's monitor (held briefly, never across I/O waits; writes are handed to Vert.x). Lock order:
 * the router's mailbox lock, then this.
 */
final class XhrPeerLink extends AbstractPeerLink {
  /** PeerServer 0.2.10's answer to a refused stream (PeerJS 0.3.x ignores it). */
  static final byte[] HTTP_ERROR = XhrStream.ascii("{\"type\":\"HTTP-ERROR\"}");

  private record Outgoing(long seq, byte[] message) {
  }

  private final SignalRouter router;
  private final boolean legacy;
  private final int sendBuffer;
  private final Runnable onEnded;
  private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
  private int outboxBytes;
  // Bytes handed to streams and not yet written to their sockets (or dropped); the streams report them.
  private long inTransit;
  private final LongConsumer transit = bytes -> inTransit += bytes;
  private long lastSeq;
  private XhrStream current;
  private long streamlessSince;

  /**
   * @param onEnded run once when the peer is gone and its last line is written out (or its client left):
   *     the transport gives back the peer's {@code ip_limit} slot, which a drain waits for
   */
  XhrPeerLink(SignalRouter router, String id, String token, String remoteAddress, boolean legacy, int sendBuffer,
              Runnable onEnded) {
    super(id, token, remoteAddress, router.clock().millis());
    this.router = router;
    this.legacy = legacy;
    this.sendBuffer = sendBuffer;
    this.onEnded = onEnded;
    this.streamlessSince = router.clock().millis();
  }

  @Override
  public String transport() {
    return "xhr";
  }

  boolean isLegacy() {
    return legacy;
  }

  // PeerJS 0.3.x opens a WebSocket beside its stream; when that WebSocket takes over, the client
  // already read OPEN here (PeerServer 0.2.10 swapped in the socket without a word). A new XHR
  // session (i=0) is a new Peer and gets OPEN.
  @Override
  public boolean sessionContinuesIn(PeerLink replacement) {
    return legacy && !(replacement instanceof XhrPeerLink);
  }

  @Override
  public boolean send(byte[] message) {
    boolean overflow;
    synchronized (this) {
      if (isClosed()) {
        return false;
      }
      overflow = outboxBytes + inTransit + message.length > sendBuffer;
      if (!overflow) {
        outbox.add(new Outgoing(++lastSeq, message));
        outboxBytes += message.length;
        flush();
      }
    }
    if (overflow) {
      // The client reads slower than it is written to, or stopped acknowledging: as for a WebSocket.
      router.end(this, CloseReason.SLOW_CONSUMER);
      return false;
    }
    return true;
  }

  /** Opens a stream or long-poll of this peer on {@code request}; what it holds counts against this peer. */
  XhrStream open(HttpServerRequest request, Vertx vertx, boolean poll, long now) {
    return XhrStream.open(request, vertx, this, transit, poll, legacy, now);
  }

  /**
   * Makes {@code stream} the one messages go to, ending the one it replaces.
   *
   * @param ack the last seq the client read (sequenced dialect)
   * @return {@code false} when the link is already closed
   */
  synchronized boolean attach(XhrStream stream, long ack) {
    if (isClosed()) {
      return false;
    }
    acknowledge(ack);
    XhrStream old = current;
    current = stream;
    if (old != null) {
      requeue(old);
      old.end();
    }
    stream.whenGone(() -> detach(stream));
    flush();
    return true;
  }

  /** Drops messages the client has read, by its {@code ack}. */
  synchronized void acknowledge(long ack) {
    if (legacy) {
      return;
    }
    while (!outbox.isEmpty() && outbox.peek().seq() <= ack) {
      outboxBytes -= outbox.poll().message().length;
    }
  }

  // Called under the monitor, by the stream when its client went away.
  private void detach(XhrStream stream) {
    if (current == stream) {
      current = null;
      streamlessSince = router.clock().millis();
      requeue(stream);
    }
  }

  // Lines a paced stream had not written yet go back to the front of the outbox, in order.
  private void requeue(XhrStream stream) {
    List<byte[]> unsent = stream.takeUnsent();
    for (int i = unsent.size() - 1; i >= 0; i--) {
      outbox.addFirst(new Outgoing(0, unsent.get(i)));
      outboxBytes += unsent.get(i).length;
    }
  }

  // Hands what the current stream has not had yet to it; a poll with something to say is answered.
  private void flush() {
    XhrStream stream = current;
    if (stream == null) {
      return;
    }
    if (legacy) {
      while (!outbox.isEmpty()) {
        Outgoing next = outbox.poll();
        outboxBytes -= next.message().length;
        stream.writeLine(next.message());
      }
      return;
    }
    List<byte[]> batch = stream.isPoll() ? new ArrayList<>() : null;
    for (Outgoing next : outbox) {
      if (next.seq() <= stream.sentUpTo) {
        continue;
      }
      byte[] line = sequencedLine(next.seq(), next.message());
      stream.sentUpTo = next.seq();
      if (batch != null) {
        batch.add(line);
      } else {
        stream.writeLine(line);
      }
    }
    if (batch != null && !batch.isEmpty()) {
      current = null;
      streamlessSince = router.clock().millis();
      stream.end(batch);
    }
  }

  /**
   * Periodic check by the transport's sweeper.
   *
   * @return {@code true} when the peer has had no stream for {@code gracePeriod} and is to be removed
   */
  synchronized boolean sweep(long now, long gracePeriod, long pollTimeout) {
    if (current != null && current.isPoll() && now - current.openedAt() >= pollTimeout) {
      XhrStream poll = current;
      current = null;
      streamlessSince = now;
      poll.end();
      return false;
    }
    return current == null && now - streamlessSince >= gracePeriod;
  }

  /** The peer's last stream closed and no other came within the grace period: gone like a closed socket. */
  void expire() {
    if (markClosed()) {
      synchronized (this) {
        outbox.clear();
        outboxBytes = 0;
      }
      onEnded.run();
      router.disconnected(this, CloseReason.CLIENT_CLOSED);
    }
  }

  // Close-once (AbstractPeerLink) makes this and expire() mutually exclusive, so onEnded runs once.
  @Override
  protected void doClose(CloseReason reason) {
    finalLines(reason).onComplete(written -> onEnded.run());
  }

  // Ends the current stream with the reason's notice; completes when that is written out.
  private synchronized Future<Void> finalLines(CloseReason reason) {
    XhrStream stream = current;
    current = null;
    outbox.clear();
    outboxBytes = 0;
    if (stream == null) {
      return Future.succeededFuture();
    }
    List<byte[]> last = new ArrayList<>(legacy ? stream.takeUnsent() : List.of());
    if (legacy && !isReady()) {
      // PeerServer 0.2.10 answers a refused stream with this line (PeerJS 0.3.x ignores it).
      last.add(HTTP_ERROR);
    } else if (legacy && reason == CloseReason.SUPERSEDED) {
      // The same client's WebSocket or a new stream of its took over: end quietly, as 0.2.10
      // did; an ERROR would make PeerJS 0.3.x abort.
    } else if (reason.notice() != null) {
      last.add(legacy ? reason.notice() : sequencedLine(0, reason.notice()));
    }
    return stream.end(last);
  }

  /** {@code [seq,message]}: seq 0 is a notice outside the sequence (the connection ends after it). */
  static byte[] sequencedLine(long seq, byte[] message) {
    byte[] head = ("[" + seq + ",").getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[head.length + message.length + 1];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(message, 0, line, head.length, message.length);
    line[line.length - 1] = ']';
    return line;
  }

  /** Bytes waiting for the client, wherever they wait: what {@code send_buffer} bounds. */
  synchronized long backlogBytes() {
    return outboxBytes + inTransit;
  }

  /** For tests and logs: messages waiting or unacknowledged. */
  synchronized int outboxSize() {
    int n = 0;
    for (Iterator<Outgoing> it = outbox.iterator(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
