package dev.switchboard.calls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls each peer is in (caller, ringing device or accepted device), for the per-peer bound and for
 * finding a peer's calls. Changed only under its {@link CallBook}'s lock; concurrent so that the relay
 * path's OFFERs and ANSWERs can ask whether their sender is in a call at all without taking it.
 */
final class PeerCallIndex {
  private final Map<String, Set<String>> byPeer = new ConcurrentHashMap<>();

  void add(String peer, String callId) {
    byPeer.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(callId);
  }

  void remove(String peer, String callId) {
    Set<String> ids = byPeer.get(peer);
    if (ids != null && ids.remove(callId) && ids.isEmpty()) {
      byPeer.remove(peer);
    }
  }

  /** Whether {@code peer} is in any call; without the book's lock. */
  boolean contains(String peer) {
    return byPeer.containsKey(peer);
  }

  /** The ids of {@code peer}'s calls (a live view: copy it before changing the book). */
  Set<String> callsOf(String peer) {
    return byPeer.getOrDefault(peer, Set.of());
  }

  List<String> peers() {
    return List.copyOf(byPeer.keySet());
  }
}
