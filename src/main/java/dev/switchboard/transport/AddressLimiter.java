package dev.switchboard.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts connections per client address for {@code ip_limit} (PeerServer 0.x had the same limit).
 * Every transport acquires before admitting and releases exactly once when the connection ends.
 */
public final class AddressLimiter {
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final int limit;

  public AddressLimiter(int limit) {
    this.limit = limit;
  }

  /** Takes a slot for {@code address}; false when it already has {@code limit} connections. */
  public boolean tryAcquire(String address) {
    boolean[] taken = new boolean[1];
    counts.compute(address, (a, count) -> {
      AtomicInteger c = count == null ? new AtomicInteger() : count;
      if (c.get() < limit) {
        c.incrementAndGet();
        total.incrementAndGet();
        taken[0] = true;
      }
      return c.get() == 0 ? null : c;
    });
    return taken[0];
  }

  /** Gives back a slot taken by {@link #tryAcquire}. */
  public void release(String address) {
    counts.computeIfPresent(address, (a, count) -> {
      total.decrementAndGet();
      return count.decrementAndGet() <= 0 ? null : count;
    });
  }

  /** Connections counted for all addresses: those whose transport is still open. */
  public int total() {
    return total.get();
  }

  /** Connections counted for {@code address}. */
  public int count(String address) {
    AtomicInteger count = counts.get(address);
    return count == null ? 0 : count.get();
  }
}
