package dev.switchboard.routing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Messages for peers that are not connected, kept until they connect or until the queue has waited
 * {@code expireTimeout} ms (PeerServer's rule: a queue unread that long is dropped and each distinct
 * sender is told once with EXPIRE).
 *
 * <p>Bounded per destination and in total. Overflow rule: a message that would exceed either bound is
 * not queued (the queued ones keep their place) and its sender is told at once with EXPIRE, once per
 * queue, so it learns as early as possible that the peer is unreachable.
 *
 * <p>Callers serialize operations on one destination with {@link #lockFor(String)}, which also covers
 * the directory check that decides between delivering and queueing.
 */
public final class OfflineMailbox {
  private static final int STRIPES = 256;

  private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[STRIPES];
  private final AtomicInteger total = new AtomicInteger();
  private final int maxPerPeer;
  private final int maxTotal;

  /**
   * A message waiting for its destination.
   *
   * @param order where the message stands among those its sender's node sent, for merging queues kept on
   *     several nodes of a cluster ({@link OrderClock}); a single node keeps its queues in arrival order
   */
  public record Pending(String sender, byte[] message, long order) {
  }

  /** A sender to tell that {@code absentPeer} did not connect in time. */
  public record Expiry(String absentPeer, String sender) {
  }

  /** What {@link #offer} did. */
  public enum Offer {
    QUEUED,
    /** Not queued; the sender is to be told now. */
    REJECTED,
    /** Not queued; the sender was already told for this queue. */
    REJECTED_TOLD
  }

  private static final class Queue {
    final ArrayDeque<Pending> messages = new ArrayDeque<>();
    final long createdAt;
    Set<String> told;

    Queue(long createdAt) {
      this.createdAt = createdAt;
    }
  }

  public OfflineMailbox(int maxPerPeer, int maxTotal) {
    this.maxPerPeer = maxPerPeer;
    this.maxTotal = maxTotal;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** Messages waiting for all absent peers together. */
  public int totalQueued() {
    return total.get();
  }

  /** The monitor that serializes queueing, delivery and expiry for {@code id}. */
  public Object lockFor(String id) {
    return locks[(id.hashCode() & 0x7fffffff) % STRIPES];
  }

  /** Queues a message for {@code dst}. Call holding {@link #lockFor(String) lockFor(dst)}. */
  public Offer offer(String dst, String sender, byte[] message, long now) {
    return offer(dst, sender, message, now, 0);
  }

  /** Queues a message for {@code dst} with its {@link Pending#order() order}. Call holding its lock. */
  public Offer offer(String dst, String sender, byte[] message, long now, long order) {
    Queue queue = queues.get(dst);
    if (queue == null) {
      queue = new Queue(now);
    }
    if (queue.messages.size() >= maxPerPeer || total.get() >= maxTotal) {
      if (queue.told == null) {
        queue.told = new HashSet<>();
      }
      boolean first = queue.told.add(sender);
      if (queue.messages.isEmpty()) {
        return Offer.REJECTED; // nothing kept, so no queue to remember the sender in
      }
      queues.putIfAbsent(dst, queue);
      return first ? Offer.REJECTED : Offer.REJECTED_TOLD;
    }
    queue.messages.add(new Pending(sender, message, order));
    total.incrementAndGet();
    queues.putIfAbsent(dst, queue);
    return Offer.QUEUED;
  }

  /** Removes and returns what waits for {@code dst}, oldest first. Call holding its lock. */
  public List<Pending> take(String dst) {
    Queue queue = queues.remove(dst);
    if (queue == null) {
      return List.of();
    }
    total.addAndGet(-queue.messages.size());
    return new ArrayList<>(queue.messages);
  }

  /**
   * Drops the queues that have waited {@code expireTimeout} ms or more and returns whom to tell: one
   * entry per (destination, sender), leaving out senders already told on overflow.
   */
  public List<Expiry> expire(long now, long expireTimeout) {
    List<Expiry> expired = new ArrayList<>();
    for (Iterator<Map.Entry<String, Queue>> it = queues.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Queue> entry = it.next();
      if (now - entry.getValue().createdAt < expireTimeout) {
        continue;
      }
      String dst = entry.getKey();
      synchronized (lockFor(dst)) {
        Queue queue = queues.get(dst);
        if (queue == null || now - queue.createdAt < expireTimeout) {
          continue;
        }
        queues.remove(dst);
        total.addAndGet(-queue.messages.size());
        Set<String> told = queue.told == null ? new HashSet<>() : queue.told;
        for (Pending pending : queue.messages) {
          if (told.add(pending.sender())) {
            expired.add(new Expiry(dst, pending.sender()));
          }
        }
      }
    }
    return expired;
  }

  /** Messages queued for {@code dst}. */
  public int size(String dst) {
    Queue queue = queues.get(dst);
    return queue == null ? 0 : queue.messages.size();
  }

  /** Messages queued in all. */
  public int total() {
    return total.get();
  }
}
