package dev.switchboard.routing;

import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.MessageType;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one path a message takes to its peer, whoever sent it (a peer's relay, a node of the cluster, the
 * broker itself): to the peer's connection here, else to the node that holds it, else into the offline
 * mailbox when its type is queued. The mailbox's locks are taken here only, and nothing is reported to
 * listeners while one is held.
 */
final class Delivery {
  /** An order stamp not taken yet: {@link #deliver} takes one when the message may have to wait. */
  static final long UNSTAMPED = -1;
  /** The type a message the broker sends as bytes crosses the cluster with: never queued. */
  static final MessageType UNNAMED = MessageType.of("");

  /** What became of a message. */
  enum Outcome {
    /** Written to the peer's connection on this node. */
    DELIVERED,
    /** Handed to the node that holds the peer. */
    FORWARDED,
    /** Kept in this node's mailbox until the peer connects or the queue expires. */
    QUEUED,
    /** Not delivered: the peer is absent and the type is not queued, or the queue is full. */
    DROPPED
  }

  private final PeerDirectory directory;
  private final OfflineMailbox mailbox;
  private final Clock clock;
  private final BrokerListener listener;
  private final RemotePeers remote;
  private final OrderClock orders = new OrderClock();
  /**
   * Listener events raised on this thread while it holds a mailbox lock (a write under the lock that
   * finds its client too slow ends that peer), fired once the lock is let go: a listener may then use
   * the {@link Broker}, which takes these locks, without deadlocking against another thread.
   */
  private final ThreadLocal<ArrayDeque<Runnable>> heldEvents = new ThreadLocal<>();

  Delivery(PeerDirectory directory, OfflineMailbox mailbox, Clock clock, BrokerListener listener, RemotePeers remote) {
    this.directory = directory;
    this.mailbox = mailbox;
    this.clock = clock;
    this.listener = listener;
    this.remote = remote;
  }

  /** A peer's message to {@code dst}, reported to listeners once it is delivered, forwarded or queued. */
  void relay(PeerLink from, MessageType type, String dst, byte[] message) {
    Outcome outcome = deliver(from.id(), type, dst, message, UNSTAMPED, true);
    if (outcome == Outcome.DELIVERED || outcome == Outcome.FORWARDED) {
      listener.messageRelayed(from, type, dst);
    } else if (outcome == Outcome.QUEUED) {
      listener.messageQueued(from, type, dst);
    }
  }

  /**
   * Delivers {@code message} from {@code from} (a peer id, empty for the broker) to {@code dst}. A peer
   * on this node gets it at once, one on another node through {@link RemotePeers} (no cluster round trip
   * when both are here) unless {@code mayForward} is false (a message another node forwarded here never
   * goes onwards, so none can circle). The decision to queue is taken under the destination's lock, where
   * a cluster's hand-over to another node also takes the queue, so nothing is queued after it. A sender
   * whose message does not fit in the queue is told with EXPIRE.
   *
   * @param order the message's order stamp, or {@link #UNSTAMPED} to take one here if it is needed
   */
  Outcome deliver(String from, MessageType type, String dst, byte[] message, long order, boolean mayForward) {
    PeerLink to = directory.lookup(dst);
    if (to != null && to.isReady() && to.send(message)) {
      return Outcome.DELIVERED;
    }
    long stamp = order == UNSTAMPED ? orders.next() : order;
    if (mayForward && to == null && remote.forward(from, type, dst, message, stamp)) {
      return Outcome.FORWARDED;
    }
    if (!type.queuedWhenAbsent()) {
      return Outcome.DROPPED; // PeerServer ignores LEAVE and EXPIRE for absent peers
    }
    OfflineMailbox.Offer offer = null;
    Outcome outcome = null;
    ArrayDeque<Runnable> events = holdEvents();
    try {
      synchronized (mailbox.lockFor(dst)) {
        to = directory.lookup(dst);
        if (to != null && to.isReady() && to.send(message)) {
          outcome = Outcome.DELIVERED;
        } else if (mayForward && to == null && remote.forward(from, type, dst, message, stamp)) {
          outcome = Outcome.FORWARDED;
        } else {
          offer = mailbox.offer(dst, from, message, clock.millis(), stamp);
        }
      }
    } finally {
      releaseEvents(events);
    }
    if (outcome != null) {
      return outcome;
    }
    if (offer == OfflineMailbox.Offer.QUEUED) {
      return Outcome.QUEUED;
    }
    if (offer == OfflineMailbox.Offer.REJECTED) {
      tellExpired(dst, from);
    }
    return Outcome.DROPPED;
  }

  /** Tells {@code sender}, wherever it is, with EXPIRE that {@code absentPeer} did not take its messages. */
  void tellExpired(String absentPeer, String sender) {
    listener.messageExpired(absentPeer, sender);
    PeerLink to = directory.lookup(sender);
    byte[] notice = FrameCodec.expire(absentPeer, sender);
    if (to != null) {
      to.send(notice);
    } else {
      remote.forward(absentPeer, MessageType.EXPIRE, sender, notice, orders.next());
    }
  }

  /**
   * Sends what waited for a peer that connected here, then marks it ready, under the peer's lock, so a
   * sender can never overtake its own earlier queued messages. Messages that waited on other nodes of a
   * cluster are merged in by their order stamps.
   *
   * @return how many messages were handed over
   */
  int handOver(PeerLink link, List<OfflineMailbox.Pending> elsewhere) {
    ArrayDeque<Runnable> events = holdEvents();
    try {
      return handOverLocked(link, elsewhere);
    } finally {
      releaseEvents(events);
    }
  }

  private int handOverLocked(PeerLink link, List<OfflineMailbox.Pending> elsewhere) {
    synchronized (mailbox.lockFor(link.id())) {
      List<OfflineMailbox.Pending> queued = mailbox.take(link.id());
      if (!elsewhere.isEmpty()) {
        List<OfflineMailbox.Pending> merged = new ArrayList<>(elsewhere);
        merged.addAll(queued);
        merged.sort(Comparator.comparingLong(OfflineMailbox.Pending::order));
        queued = merged;
      }
      for (OfflineMailbox.Pending pending : queued) {
        link.send(pending.message());
      }
      link.markReady();
      return queued.size();
    }
  }

  /**
   * Runs {@code event} now, or, on a thread inside one of this delivery's locked sections, once that
   * section has let go of its lock.
   */
  void afterLocks(Runnable event) {
    ArrayDeque<Runnable> held = heldEvents.get();
    if (held == null) {
      event.run();
    } else {
      held.add(event);
    }
  }

  // Starts collecting this thread's events; null when an outer section already collects them.
  private ArrayDeque<Runnable> holdEvents() {
    if (heldEvents.get() != null) {
      return null;
    }
    ArrayDeque<Runnable> events = new ArrayDeque<>(2);
    heldEvents.set(events);
    return events;
  }

  private void releaseEvents(ArrayDeque<Runnable> events) {
    if (events == null) {
      return;
    }
    heldEvents.remove();
    for (Runnable event; (event = events.poll()) != null; ) {
      event.run();
    }
  }

  /** Takes what waits here for {@code id}; see {@link SignalRouter#takeQueued}. */
  List<OfflineMailbox.Pending> takeQueued(String id) {
    synchronized (mailbox.lockFor(id)) {
      return mailbox.take(id);
    }
  }

  /** Drops queues older than {@code expireTimeout} and tells their senders. */
  void sweep(long expireTimeout) {
    for (OfflineMailbox.Expiry expiry : mailbox.expire(clock.millis(), expireTimeout)) {
      tellExpired(expiry.absentPeer(), expiry.sender());
    }
  }
}
