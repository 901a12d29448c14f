package dev.switchboard.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stamps messages that may wait in queues on several nodes, so the node a peer connects to can merge
 * them: strictly increasing on one node (so one sender's messages keep their order), and close to
 * wall-clock microseconds (so stamps of different nodes compare sensibly).
 */
public final class OrderClock {
  private final AtomicLong last = new AtomicLong();

  public long next() {
    long now = System.currentTimeMillis() * 1000;
    return last.updateAndGet(previous -> Math.max(previous + 1, now));
  }
}
