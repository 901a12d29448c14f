package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * "Peer X (of user U) is gone": told to each subscriber once X's connection ended and X has not connected
 * again, on this node or (as far as this node's view of the cluster tells) any other, for the
 * subscriber's delay. A PeerJS {@code reconnect()} within the delay, or a takeover by a newer connection
 * of the same id, is no departure. One mechanism for every feature that must outlive a short drop of the
 * signalling socket (calls, rooms, presence, webhooks; {@code --reconnect_grace}).
 *
 * <p>Add it as a {@link BrokerListener}. A peer whose node left the cluster has no disconnect event
 * here; {@link #watch} starts the same count-down for it.
 */
public final class Departures implements BrokerListener {

  /** A peer that is gone: its id, its verified user (or {@code null}) and since when (broker clock, ms). */
  public record Departure(String peerId, String userId, long goneSince) {
  }

  /** Runs {@code task} once after {@code delayMs}; Vert.x's {@code setTimer} in production. */
  @FunctionalInterface
  public interface Timers {
    void after(long delayMs, Runnable task);
  }

  private record Subscription(long delayMs, Consumer<Departure> action) {
  }

  private record Pending(long generation, AtomicInteger timersLeft) {
  }

  private final Timers timers;
  private final Broker broker;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong();

  public Departures(Timers timers, Broker broker) {
    this.timers = timers;
    this.broker = broker;
  }

  /** Calls {@code action} for each peer gone for {@code delayMs} (0: at the next turn of the loop). */
  public Departures subscribe(long delayMs, Consumer<Departure> action) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delay must not be negative: " + delayMs);
    }
    subscriptions.add(new Subscription(delayMs, Objects.requireNonNull(action, "action")));
    return this;
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    watch(peer.id(), peer.userId());
  }

  @Override
  public void peerConnected(PeerLink peer) {
    pending.remove(peer.id());
  }

  /** Starts the count-down for a peer that went away without a disconnect event here (its node left). */
  public void watch(String peerId, String userId) {
    List<Subscription> subs = List.copyOf(subscriptions);
    if (subs.isEmpty()) {
      return;
    }
    Departure departure = new Departure(peerId, userId, broker.clock().millis());
    Pending mine = new Pending(generations.incrementAndGet(), new AtomicInteger(subs.size()));
    pending.put(peerId, mine);
    for (Subscription sub : subs) {
      timers.after(sub.delayMs(), () -> due(sub, departure, mine));
    }
  }

  // Only the latest departure of an id counts: one that reconnected and dropped again starts anew.
  private void due(Subscription sub, Departure departure, Pending mine) {
    boolean current = pending.get(departure.peerId()) == mine;
    if (mine.timersLeft().decrementAndGet() == 0) {
      pending.remove(departure.peerId(), mine);
    }
    if (current && !broker.lookup(departure.peerId()).connected()) {
      sub.action().accept(departure);
    }
  }

  /** How many peers are being watched now. */
  public int watching() {
    return pending.size();
  }
}
