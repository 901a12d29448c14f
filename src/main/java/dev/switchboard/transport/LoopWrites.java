package dev.switchboard.transport;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Frames written to one event loop's WebSocket peers from other threads (another loop relaying, the
 * cluster's event bus, a drain), gathered: one task on the loop per burst, and one flush per peer at
 * its end, instead of a task and a flush per frame. One per event loop, shared by its peers, so no
 * peer carries a cross-thread queue of its own.
 *
 * <p>Order: frames from one thread reach a peer in the order they were written; a write on the loop
 * itself first drains what other threads handed over ({@link #drain()}), so it cannot overtake them.
 *
 * <p>Each link counts the bytes handed over for it until they are written ({@link
 * WebSocketPeerLink#handedOver()}): they count against its {@code send_buffer} like its channel's own.
 */
final class LoopWrites implements Runnable {
  private record Write(WebSocketPeerLink link, WebSocketFrame frame) {
  }

  private final EventLoop loop;
  private final Queue<Write> pending = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  // Touched only on the loop.
  private final List<WebSocketPeerLink> written = new ArrayList<>();

  LoopWrites(EventLoop loop) {
    this.loop = loop;
  }

  EventLoop loop() {
    return loop;
  }

  /** Hands {@code frame} for {@code link} to the loop; from any thread but the loop's own. */
  void write(WebSocketPeerLink link, WebSocketFrame frame) {
    pending.offer(new Write(link, frame));
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      try {
        loop.execute(this);
      } catch (RejectedExecutionException stopped) {
        discard(); // the loop is shutting down with its connections: nothing will be written any more
      }
    }
  }

  private void discard() {
    scheduled.set(false); // each later write tries again, and is discarded the same way
    Write write;
    while ((write = pending.poll()) != null) {
      write.link().takenOver(write.frame());
      write.frame().release();
    }
  }

  /** Writes what other threads handed over, then flushes each peer written to once; on the loop only. */
  void drain() {
    Write write;
    while ((write = pending.poll()) != null) {
      if (write.link().writeOnLoop(write.frame())) {
        written.add(write.link());
      }
    }
    for (int i = 0; i < written.size(); i++) {
      written.get(i).flushOnLoop();
    }
    written.clear();
  }

  @Override
  public void run() {
    // Cleared first: a frame offered while draining schedules another run, which may find nothing.
    scheduled.set(false);
    drain();
  }
}
