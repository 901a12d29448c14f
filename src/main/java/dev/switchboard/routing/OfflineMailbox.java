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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages for peers that are not connected, kept until they connect or until the queue has waited
 * {@code expireTimeout} ms (PeerServer's rule: a queue unread that long is dropped and each distinct
 * sender is told once with EXPIRE).
 *
 * <p>Bounded in messages per destination and in total, and in bytes (of the messages) per destination,
 * per sender and in total ({@link Limits}): one client cannot fill the heap, and a sender that floods
 * takes only its own share, so others' messages still queue. Overflow rule: a message that would exceed
 * any bound is not queued (the queued ones keep their place) and its sender is told at once with EXPIRE,
 * once per queue, so it learns as early as possible that the peer is unreachable.
 *
 * <p>Callers serialize operations on one destination with {@link #lockFor(String)}, which also covers
 * the directory check that decides between delivering and queueing.
 */
public final class OfflineMailbox {
  private static final int STRIPES = 256;

  private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[STRIPES];
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicLong totalBytes = new AtomicLong();
  // Bytes queued per sender, over all destinations (whose locks differ, hence a concurrent map).
  private final ConcurrentHashMap<String, Long> bytesBySender = new ConcurrentHashMap<>();
  private final Limits limits;

  /**
   * What the mailbox may hold: messages per destination and in all; bytes of messages per destination,
   * per sender (over all destinations) and in all.
   */
  public record Limits(int messagesPerPeer, int messagesTotal, long bytesPerPeer, long bytesPerSender,
                       long bytesTotal) {
    /** Bounds by count only. */
    public static Limits messages(int perPeer, int total) {
      return new Limits(perPeer, total, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
    }
  }

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
    /** Kept at least until then, past {@code expireTimeout} ({@link #hold}). */
    long heldUntil;
    long bytes;
    Set<String> told;

    Queue(long createdAt) {
      this.createdAt = createdAt;
    }
  }

  /** A mailbox bounded by count only. */
  public OfflineMailbox(int maxPerPeer, int maxTotal) {
    this(Limits.messages(maxPerPeer, maxTotal));
  }

  public OfflineMailbox(Limits limits) {
    this.limits = limits;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** Messages waiting for all absent peers together. */
  public int totalQueued() {
    return total.get();
  }

  /** Bytes of the messages waiting for all absent peers together. */
  public long totalQueuedBytes() {
    return totalBytes.get();
  }

  /** Bytes of the messages {@code sender} has waiting, for all destinations. */
  public long queuedBytesFrom(String sender) {
    return bytesBySender.getOrDefault(sender, 0L);
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
    if (!reserve(queue, sender, message.length)) {
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
    queue.bytes += message.length;
    queues.putIfAbsent(dst, queue);
    return Offer.QUEUED;
  }

  // Takes room for one message in every shared bound, or in none. The destination's own bounds are
  // guarded by its lock; the shared ones are claimed atomically, so concurrent offers never overshoot.
  private boolean reserve(Queue queue, String sender, int bytes) {
    if (queue.messages.size() >= limits.messagesPerPeer() || queue.bytes + bytes > limits.bytesPerPeer()) {
      return false;
    }
    if (!claim(total, limits.messagesTotal())) {
      return false;
    }
    if (!claim(totalBytes, bytes, limits.bytesTotal())) {
      total.decrementAndGet();
      return false;
    }
    boolean[] fits = new boolean[1];
    bytesBySender.compute(sender, (name, held) -> {
      long now = held == null ? 0 : held;
      if (now + bytes > limits.bytesPerSender()) {
        return held;
      }
      fits[0] = true;
      return now + bytes;
    });
    if (!fits[0]) {
      total.decrementAndGet();
      totalBytes.addAndGet(-bytes);
    }
    return fits[0];
  }

  private static boolean claim(AtomicInteger count, int max) {
    for (int now = count.get(); now < max; now = count.get()) {
      if (count.compareAndSet(now, now + 1)) {
        return true;
      }
    }
    return false;
  }

  private static boolean claim(AtomicLong held, long bytes, long max) {
    for (long now = held.get(); now + bytes <= max; now = held.get()) {
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
    return false;
  }

  // A queue leaves the mailbox (delivered or expired): its room is given back.
  private void release(Queue queue) {
    total.addAndGet(-queue.messages.size());
    totalBytes.addAndGet(-queue.bytes);
    for (Pending pending : queue.messages) {
      int bytes = pending.message().length;
      bytesBySender.computeIfPresent(pending.sender(), (name, held) -> held == bytes ? null : held - bytes);
    }
  }

  /** Removes and returns what waits for {@code dst}, oldest first. Call holding its lock. */
  public List<Pending> take(String dst) {
    Queue queue = queues.remove(dst);
    if (queue == null) {
      return List.of();
    }
    release(queue);
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
      if (!expired(entry.getValue(), now, expireTimeout)) {
        continue;
      }
      String dst = entry.getKey();
      synchronized (lockFor(dst)) {
        Queue queue = queues.get(dst);
        if (queue == null || !expired(queue, now, expireTimeout)) {
          continue;
        }
        queues.remove(dst);
        release(queue);
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

  private static boolean expired(Queue queue, long now, long expireTimeout) {
    return now - queue.createdAt >= expireTimeout && now >= queue.heldUntil;
  }

  /**
   * Keeps what waits for {@code dst} until {@code untilMs} even past {@code expireTimeout} (a woken peer is
   * given its ring time to connect: {@code --wakeup_on_offer}); 0 lets it expire as usual again.
   *
   * @return whether a queue for {@code dst} was there to hold
   */
  public boolean hold(String dst, long untilMs) {
    synchronized (lockFor(dst)) {
      Queue queue = queues.get(dst);
      if (queue != null) {
        queue.heldUntil = untilMs;
      }
      return queue != null;
    }
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
