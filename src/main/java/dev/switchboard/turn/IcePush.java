package dev.switchboard.turn;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Pushes {@code ICE-SERVERS {iceServers, ttl, expiresAt}} to each peer of this node right after its OPEN
 * and again every {@link #refreshMs} (0.4 × the ttl), so a long session never holds expired credentials
 * (signalmaster pushed once at connect and long calls failed later). A refresh is due by the broker's
 * clock and found by {@link #sweep}, which the service runs periodically; tests move the clock and sweep.
 *
 * <p>Bounded: one entry per connected peer of this node in a queue ordered by due time (every interval
 * is the same, so a re-queued entry always goes last); a departed peer's entry is dropped when it comes
 * up, and the queue is compacted once departed entries outnumber live ones.
 */
final class IcePush implements BrokerListener {
  /** The frame type; PeerJS leaves unknown types with a payload and no connectionId alone. */
  static final String TYPE = "ICE-SERVERS";

  private final Broker broker;
  private final Function<PeerLink, JsonObject> answers;
  private final long refreshMs;
  private final Runnable pushed;
  private final Map<String, Entry> byPeer = new HashMap<>();
  private final ArrayDeque<Entry> due = new ArrayDeque<>();

  private static final class Entry {
    final PeerLink link;
    long dueAt;
    boolean gone;

    Entry(PeerLink link, long dueAt) {
      this.link = link;
      this.dueAt = dueAt;
    }
  }

  /**
   * @param answers the answer for a peer, or null when it may not have one (then it is never pushed to)
   * @param refreshMs how long after a push the next one is due; 0: never again (no TURN, nothing expires)
   * @param pushed told of each push handed to a connection (metrics)
   */
  IcePush(Broker broker, Function<PeerLink, JsonObject> answers, long refreshMs, Runnable pushed) {
    this.broker = broker;
    this.answers = answers;
    this.refreshMs = refreshMs;
    this.pushed = pushed;
  }

  /** 0.4 × the ttl: a peer's credentials always have more than half their lifetime left when replaced. */
  static long refreshMsFor(long ttlSeconds) {
    return Math.max(1, ttlSeconds * 1000 * 2 / 5);
  }

  @Override
  public void peerConnected(PeerLink peer) {
    long issuedAt = broker.clock().millis(); // the credentials' time: the next refresh counts from it
    if (push(peer) && refreshMs > 0) {
      synchronized (this) {
        Entry previous = byPeer.put(peer.id(), schedule(peer, issuedAt));
        if (previous != null) {
          previous.gone = true;
        }
      }
    }
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    synchronized (this) {
      Entry entry = byPeer.get(peer.id());
      if (entry != null && entry.link == peer) {
        byPeer.remove(peer.id());
        entry.gone = true;
        compactIfMostlyGone();
      }
    }
  }

  /** Pushes fresh servers to every peer whose refresh is due by the broker's clock. */
  void sweep() {
    List<PeerLink> refresh = new ArrayList<>();
    synchronized (this) {
      long now = broker.clock().millis();
      while (!due.isEmpty() && (due.peekFirst().gone || due.peekFirst().dueAt <= now)) {
        Entry entry = due.pollFirst();
        if (!entry.gone) {
          entry.dueAt = now + refreshMs;
          due.addLast(entry);
          refresh.add(entry.link);
        }
      }
    }
    refresh.forEach(this::push);
  }

  /** Peers with a refresh scheduled (for tests and bounds). */
  synchronized int scheduled() {
    return byPeer.size();
  }

  /** Entries held in the queue, departed ones included (for tests and bounds). */
  synchronized int queued() {
    return due.size();
  }

  private Entry schedule(PeerLink peer, long issuedAt) {
    Entry entry = new Entry(peer, issuedAt + refreshMs);
    due.addLast(entry);
    return entry;
  }

  private boolean push(PeerLink peer) {
    JsonObject answer = answers.apply(peer);
    if (answer == null) {
      return false;
    }
    if (broker.send(peer.id(), TYPE, answer)) {
      pushed.run();
    }
    return true;
  }

  private void compactIfMostlyGone() {
    if (due.size() > 2 * byPeer.size() + 64) {
      due.removeIf(entry -> entry.gone);
    }
  }
}
