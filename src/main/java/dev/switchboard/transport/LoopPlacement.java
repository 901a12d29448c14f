package dev.switchboard.transport;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongUnaryOperator;

/**
 * Which event loop serves a WebSocket peer once it is connected. Vert.x spreads accepted connections
 * over its event loops in turn, which suits a burst of handshakes; but a message relayed between peers
 * on two loops costs a wake-up of the other loop (a write to its eventfd, its {@code epoll_wait}
 * returning, a task), which at moderate load, with messages arriving one at a time, is a fifth to a
 * third of what relaying the message costs. So connected peers are packed: a peer moves, before it is
 * admitted, to the first loop (in a fixed order) that was busy less than {@link #BUSY} of the last
 * sampling period. Peers then signal each other on one loop until that loop is busy; only then are new
 * peers spread (each stays on the loop that accepted it), so a loaded broker still uses every core.
 * Peers never move once admitted.
 *
 * <p>Busy is the share of a period the loop's thread spent on a core ({@link ThreadMXBean}'s thread CPU
 * time), sampled every {@link #SAMPLE_PERIOD_MS} by {@link #sample()}.
 */
public final class LoopPlacement {
  /** A loop busier than this share of a core takes no more peers from other loops. */
  public static final double BUSY = 0.5;
  /** How often the loops' busy shares are sampled. */
  public static final long SAMPLE_PERIOD_MS = 1_000;

  /** One event loop: its Vert.x context, its cross-thread writes, and how busy it was. */
  static final class Loop {
    private final EventLoop eventLoop;
    private final Context context;
    private final LoopWrites writes;
    private final long threadId;
    private long cpuNanosAtSample = -1;
    private volatile double busy;

    private Loop(EventLoop eventLoop, Context context, long threadId) {
      this.eventLoop = eventLoop;
      this.context = context;
      this.writes = new LoopWrites(eventLoop);
      this.threadId = threadId;
    }

    EventLoop eventLoop() {
      return eventLoop;
    }

    Context context() {
      return context;
    }

    LoopWrites writes() {
      return writes;
    }

    double busy() {
      return busy;
    }

    long threadId() {
      return threadId;
    }
  }

  private final boolean pack;
  private final LongUnaryOperator threadCpuNanos;
  private final List<Loop> loops = new CopyOnWriteArrayList<>();
  private long sampledAt;

  /**
   * @param pack whether connected peers are packed onto the first loops ({@code --loop_placement pack});
   *     {@code false} leaves each on the loop that accepted it
   */
  public LoopPlacement(boolean pack) {
    this(pack, LoopPlacement::threadCpuTime);
  }

  /** @param threadCpuNanos a thread's CPU time in nanoseconds by its id (tests give their own) */
  LoopPlacement(boolean pack, LongUnaryOperator threadCpuNanos) {
    this.pack = pack;
    this.threadCpuNanos = threadCpuNanos;
  }

  private static long threadCpuTime(long threadId) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(threadId) : -1;
  }

  /** Adds the current context's loop (a server instance's); on that loop, in its context. */
  public void add() {
    Context context = VertxInternals.currentContext();
    EventLoop eventLoop = VertxInternals.eventLoop(context);
    for (Loop loop : loops) {
      if (loop.eventLoop == eventLoop) {
        return;
      }
    }
    loops.add(new Loop(eventLoop, context, Thread.currentThread().getId()));
  }

  /** Samples how busy each loop was since the last sample; every {@link #SAMPLE_PERIOD_MS}, from one thread. */
  public void sample(long nowNanos) {
    long elapsed = nowNanos - sampledAt;
    sampledAt = nowNanos;
    for (Loop loop : loops) {
      long cpu = threadCpuNanos.applyAsLong(loop.threadId);
      if (cpu >= 0 && loop.cpuNanosAtSample >= 0 && elapsed > 0) {
        loop.busy = (double) (cpu - loop.cpuNanosAtSample) / elapsed;
      }
      loop.cpuNanosAtSample = cpu;
    }
  }

  /** The loop that is to serve a peer accepted on {@code accepted}: see the class comment. */
  Loop choose(EventLoop accepted) {
    Loop acceptedLoop = null;
    for (Loop loop : loops) {
      if (loop.eventLoop == accepted) {
        acceptedLoop = loop;
        if (!pack) {
          return loop;
        }
      }
    }
    if (acceptedLoop == null) {
      throw new IllegalStateException("event loop " + accepted + " was never added");
    }
    for (Loop loop : loops) {
      if (loop.busy < BUSY) {
        return loop;
      }
    }
    return acceptedLoop;
  }

  /** The loops, in packing order (for tests and metrics). */
  List<Loop> loops() {
    return List.copyOf(loops);
  }
}
