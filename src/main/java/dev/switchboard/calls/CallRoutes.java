package dev.switchboard.calls;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's routes: which of its peers are in which call homed on which other node (learnt from the
 * frames the homes send them), indexed both ways so that a peer's frames, departures and media find
 * their homes without scanning. Bounded by this node's peers times {@code --max_calls_per_peer}; a
 * route goes with the call's CALL-ENDED, its peer's departure, or its home's.
 */
final class CallRoutes {
  /** A call homed elsewhere: its home, the caller's user (for glare) and this node's peers in it. */
  record Route(String home, String fromUser, Set<String> peers) {
  }

  private final Map<String, Route> byCall = new HashMap<>();
  // Changed only under this object's lock; concurrent so that the relay path's OFFERs and ANSWERs can
  // ask whether their sender is in a call homed elsewhere without taking it (homesOf).
  private final Map<String, Set<String>> byPeer = new ConcurrentHashMap<>();

  /** {@code peer} of this node is in {@code callId}, homed at {@code home}. */
  synchronized void add(String callId, String home, String fromUser, String peer) {
    Route route = byCall.computeIfAbsent(callId, id -> new Route(home, fromUser, new LinkedHashSet<>()));
    route.peers().add(peer);
    byPeer.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(callId);
  }

  /** {@code peer} is out of {@code callId}. */
  synchronized void remove(String callId, String peer) {
    Route route = byCall.get(callId);
    if (route != null && route.peers().remove(peer)) {
      unindex(peer, callId);
      if (route.peers().isEmpty()) {
        byCall.remove(callId);
      }
    }
  }

  synchronized String homeOf(String callId) {
    Route route = byCall.get(callId);
    return route == null ? null : route.home();
  }

  /** The home of a call from user {@code to} that {@code peer} is rung for, or {@code null}. */
  synchronized String glareHome(String peer, String to) {
    for (String callId : byPeer.getOrDefault(peer, Set.of())) {
      Route route = byCall.get(callId);
      if (to.equals(route.fromUser())) {
        return route.home();
      }
    }
    return null;
  }

  /** The homes of {@code peer}'s calls. */
  Set<String> homesOf(String peer) {
    if (!byPeer.containsKey(peer)) {
      return Set.of(); // the common case on the relay path: no lock, no allocation
    }
    synchronized (this) {
      Set<String> homes = new LinkedHashSet<>();
      for (String callId : byPeer.getOrDefault(peer, Set.of())) {
        homes.add(byCall.get(callId).home());
      }
      return homes;
    }
  }

  /** Drops {@code peer} from every route; answers the homes of the calls it was in. */
  synchronized Set<String> removePeer(String peer) {
    Set<String> homes = new LinkedHashSet<>();
    for (String callId : byPeer.getOrDefault(peer, Set.of()).toArray(String[]::new)) {
      homes.add(byCall.get(callId).home());
      remove(callId, peer);
    }
    return homes;
  }

  /** Drops the routes of calls homed at {@code node}; answers them, call id → this node's peers in it. */
  synchronized Map<String, Set<String>> removeHome(String node) {
    Map<String, Set<String>> lost = new HashMap<>();
    byCall.forEach((callId, route) -> {
      if (route.home().equals(node)) {
        lost.put(callId, Set.copyOf(route.peers()));
      }
    });
    lost.forEach((callId, peers) -> peers.forEach(peer -> remove(callId, peer)));
    return lost;
  }

  synchronized int size() {
    return byCall.size();
  }

  private void unindex(String peer, String callId) {
    Set<String> ids = byPeer.get(peer);
    if (ids != null && ids.remove(callId) && ids.isEmpty()) {
      byPeer.remove(peer);
    }
  }
}
