package dev.switchboard.presence;

import dev.switchboard.routing.Departures;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * This node's side of presence: its peers' watch lists, which peers are in rooms (of every node, as
 * the rooms' events tell), and each watcher's outbox. A change is gathered per watcher for the batch
 * time and sent as one PRESENCE frame; per user, only a newer version than the watcher last got is sent,
 * so each watcher sees a user's changes in order, whatever order they reached this node in. Scope is
 * checked when the frame is made, so a user who left the shared room is no longer pushed.
 */
final class Watchers {

  /** Sends a PRESENCE payload to a peer of this node. */
  @FunctionalInterface
  interface Sender {
    void send(String peerId, JsonObject payload);
  }

  private static final class Watcher {
    final PeerLink link;
    final String user;
    // Empty and shared until first written: most peers never watch anyone, and each of their
    // Watchers would otherwise carry three empty collections.
    Set<String> watched = Collections.emptySet();
    Map<String, PresenceView> pending = Collections.emptyMap();
    Map<String, PresenceView> sent = Collections.emptyMap();
    boolean flushDue;
    Future<?> answers = Future.succeededFuture();

    Watcher(PeerLink link, String user) {
      this.link = link;
      this.user = user;
    }

    Set<String> watchedToChange() {
      if (!(watched instanceof LinkedHashSet)) {
        watched = new LinkedHashSet<>();
      }
      return watched;
    }

    Map<String, PresenceView> pendingToChange() {
      if (!(pending instanceof LinkedHashMap)) {
        pending = new LinkedHashMap<>();
      }
      return pending;
    }

    Map<String, PresenceView> sentToChange() {
      if (!(sent instanceof HashMap)) {
        sent = new HashMap<>();
      }
      return sent;
    }
  }

  private final PresenceScope scope;
  private final Departures.Timers timers;
  private final long batchMs;
  private final int maxWatch;
  private final int maxWatchTotal;
  private final Sender sender;
  private final PresenceMetrics metrics;
  private final Map<String, Watcher> byPeer = new HashMap<>();
  private final Map<String, Set<String>> watchersOf = new HashMap<>();
  private final Map<String, Set<String>> localPeersOf = new HashMap<>();
  private final Map<String, Set<String>> roomsOfPeer = new HashMap<>();
  private int watching;
  private int entries;

  /**
   * @param maxWatch users one peer may watch
   * @param maxWatchTotal (watcher, user) entries this node keeps for all its peers together
   */
  Watchers(PresenceScope scope, Departures.Timers timers, long batchMs, int maxWatch, int maxWatchTotal,
           Sender sender, PresenceMetrics metrics) {
    this.scope = scope;
    this.timers = timers;
    this.batchMs = batchMs;
    this.maxWatch = maxWatch;
    this.maxWatchTotal = maxWatchTotal;
    this.sender = sender;
    this.metrics = metrics;
  }

  /** A peer connected to this node (a new connection replaces an older one of the same id). */
  synchronized void connected(PeerLink link, String user) {
    Watcher old = byPeer.get(link.id());
    if (old != null) {
      forget(old);
    }
    byPeer.put(link.id(), new Watcher(link, user));
    localPeersOf.computeIfAbsent(user, u -> new HashSet<>()).add(link.id());
  }

  /** A connection of this node ended: its watch list ends with it. */
  synchronized void disconnected(PeerLink link) {
    Watcher watcher = byPeer.get(link.id());
    if (watcher != null && watcher.link == link) {
      forget(watcher);
    }
  }

  private void forget(Watcher watcher) {
    byPeer.remove(watcher.link.id());
    removeFrom(localPeersOf, watcher.user, watcher.link.id());
    for (String user : watcher.watched) {
      removeFrom(watchersOf, user, watcher.link.id());
    }
    entries -= watcher.watched.size();
    if (!watcher.watched.isEmpty()) {
      watching--;
      metrics.presenceWatchers(-1);
    }
  }

  /** This node's peers, for re-asserting their devices after a cluster heal. */
  synchronized List<PeerLink> links() {
    return byPeer.values().stream().map(w -> w.link).toList();
  }

  /**
   * Adds {@code users} to the peer's watch list.
   *
   * @return the users of the request the peer may see now (for the snapshot)
   * @throws PresenceError {@code limit} when the list would grow past {@code --presence_max_watch}
   */
  synchronized List<String> watch(PeerLink link, List<String> users) {
    Watcher watcher = byPeer.get(link.id());
    if (watcher == null || watcher.link != link) {
      return List.of();
    }
    long added = users.stream().filter(u -> !watcher.watched.contains(u)).count();
    if (watcher.watched.size() + added > maxWatch) {
      throw new PresenceError(PresenceError.LIMIT, "a peer may watch at most " + maxWatch + " users");
    }
    if (entries + added > maxWatchTotal) {
      throw new PresenceError(PresenceError.LIMIT, "the server keeps at most " + maxWatchTotal
          + " watched users for all its peers (--presence_max_watch_total)");
    }
    if (watcher.watched.isEmpty() && added > 0) {
      watching++;
      metrics.presenceWatchers(1);
    }
    for (String user : users) {
      if (watcher.watchedToChange().add(user)) {
        entries++;
        watchersOf.computeIfAbsent(user, u -> new HashSet<>()).add(link.id());
      }
    }
    Set<String> mates = scope.roomMatesOf(watcher.user);
    return users.stream().filter(u -> visible(watcher, mates, u)).toList();
  }

  /** Removes {@code users} from the peer's watch list; nothing more of them is pushed unless a room is shared. */
  synchronized void unwatch(PeerLink link, List<String> users) {
    Watcher watcher = byPeer.get(link.id());
    if (watcher == null || watcher.link != link || watcher.watched.isEmpty()) {
      return;
    }
    for (String user : users) {
      if (watcher.watched.remove(user)) {
        entries--;
        removeFrom(watchersOf, user, link.id());
      }
    }
    if (watcher.watched.isEmpty()) {
      watching--;
      metrics.presenceWatchers(-1);
    }
  }

  /**
   * Runs {@code answer} once every earlier answer to this peer's requests was sent, so a client reads
   * the answers to its PRESENCE-WATCHes (snapshots and errors) in the order it asked.
   */
  void inOrder(PeerLink link, Supplier<Future<?>> answer) {
    synchronized (this) {
      Watcher watcher = byPeer.get(link.id());
      if (watcher != null && watcher.link == link) {
        watcher.answers = watcher.answers.transform(done -> answer.get());
        return;
      }
    }
    answer.get();
  }

  /** Sends the answer to a PRESENCE-WATCH: {@code views} as they are, or newer if the peer already had newer. */
  void snapshot(PeerLink link, List<PresenceView> views) {
    JsonObject users = new JsonObject();
    synchronized (this) {
      Watcher watcher = byPeer.get(link.id());
      if (watcher == null || watcher.link != link) {
        return;
      }
      for (PresenceView view : views) {
        PresenceView had = watcher.sent.get(view.user());
        PresenceView newest = had != null && had.version() > view.version() ? had : view;
        watcher.sentToChange().put(view.user(), newest);
        users.put(view.user(), newest.entry());
      }
    }
    sender.send(link.id(), new JsonObject().put("users", users).put("snapshot", true));
  }

  /** Whether a change of {@code user} would reach anyone on this node: a watcher of it or a room mate. */
  synchronized boolean anyoneCares(String user) {
    return watchersOf.containsKey(user) || !scope.roomMatesOf(user).isEmpty();
  }

  /** A user's view changed (here or on any node): queued for each of this node's peers that may see it. */
  synchronized void changed(PresenceView view) {
    Set<String> recipients = new HashSet<>(watchersOf.getOrDefault(view.user(), Set.of()));
    for (String mate : scope.roomMatesOf(view.user())) {
      for (String peer : localPeersOf.getOrDefault(mate, Set.of())) {
        if (roomsOfPeer.containsKey(peer)) {
          recipients.add(peer);
        }
      }
    }
    for (String peer : recipients) {
      offer(peer, view);
    }
  }

  /** Queues {@code view} for one peer of this node (a room mate's presence when a room is joined). */
  synchronized void offer(String peerId, PresenceView view) {
    Watcher watcher = byPeer.get(peerId);
    if (watcher == null) {
      return;
    }
    PresenceView had = watcher.sent.get(view.user());
    PresenceView queued = watcher.pending.get(view.user());
    if (had != null && had.version() >= view.version() || queued != null && queued.version() >= view.version()) {
      return;
    }
    watcher.pendingToChange().put(view.user(), view);
    if (!watcher.flushDue) {
      watcher.flushDue = true;
      timers.after(batchMs, () -> flush(watcher));
    }
  }

  private void flush(Watcher watcher) {
    JsonObject users = new JsonObject();
    synchronized (this) {
      watcher.flushDue = false;
      if (byPeer.get(watcher.link.id()) != watcher) {
        return;
      }
      Set<String> mates = scope.roomMatesOf(watcher.user);
      boolean inRoom = roomsOfPeer.containsKey(watcher.link.id());
      for (PresenceView view : watcher.pending.values()) {
        boolean wanted = watcher.watched.contains(view.user()) && visible(watcher, mates, view.user())
            || inRoom && mates.contains(view.user());
        PresenceView had = watcher.sent.get(view.user());
        if (wanted && (had == null || had.version() < view.version())) {
          watcher.sentToChange().put(view.user(), view);
          users.put(view.user(), view.entry());
        }
      }
      watcher.pending.clear();
    }
    if (!users.isEmpty()) {
      metrics.presencePushed(users.size());
      sender.send(watcher.link.id(), new JsonObject().put("users", users));
    }
  }

  private boolean visible(Watcher watcher, Set<String> mates, String user) {
    return scope.everyone() || user.equals(watcher.user) || watcher.link.contacts().contains(user)
        || mates.contains(user);
  }

  /** A peer (of any node) joined a room. */
  synchronized void joinedRoom(String peerId, String roomId) {
    roomsOfPeer.computeIfAbsent(peerId, p -> new HashSet<>()).add(roomId);
  }

  /** A peer (of any node) left a room. */
  synchronized void leftRoom(String peerId, String roomId) {
    removeFrom(roomsOfPeer, peerId, roomId);
  }

  /** Whether {@code peerId} is a peer of this node. */
  synchronized boolean isLocal(String peerId) {
    return byPeer.containsKey(peerId);
  }

  /** This node's peers with a non-empty watch list. */
  synchronized int watching() {
    return watching;
  }

  private static void removeFrom(Map<String, Set<String>> index, String key, String value) {
    Set<String> values = index.get(key);
    if (values != null && values.remove(value) && values.isEmpty()) {
      index.remove(key);
    }
  }

  /** For tests: the users waiting in a peer's outbox. */
  synchronized List<String> pendingFor(String peerId) {
    Watcher watcher = byPeer.get(peerId);
    return watcher == null ? List.of() : new ArrayList<>(watcher.pending.keySet());
  }
}
