package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which peer ids each verified user holds: user → ids, updated when a connection is admitted or removed
 * (never on the relay path). Entries may go stale (an id freed by a path that did not tell the index, or
 * retaken by another user); {@link #idsOf} checks each candidate against the directory's truth and drops
 * stale ones, so the index only ever errs by holding a little more than it needs.
 */
public final class UserIndex {
  private final ConcurrentHashMap<String, Set<String>> byUser = new ConcurrentHashMap<>();

  /** Records that {@code id} is held for {@code userId} (nothing when the user is {@code null}). */
  public void add(String userId, String id) {
    if (userId != null) {
      byUser.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet()).add(id);
    }
  }

  /** Forgets that {@code id} is held for {@code userId}. */
  public void remove(String userId, String id) {
    if (userId == null) {
      return;
    }
    byUser.computeIfPresent(userId, (u, ids) -> {
      ids.remove(id);
      return ids.isEmpty() ? null : ids;
    });
  }

  /**
   * The ids of {@code userId} whose current holder, as {@code userOf} tells (null: nobody), is still that
   * user; the others are dropped from the index.
   */
  public List<String> idsOf(String userId, Function<String, String> userOf) {
    Set<String> ids = byUser.get(userId);
    if (ids == null) {
      return List.of();
    }
    List<String> live = new ArrayList<>(ids.size());
    for (String id : ids) {
      if (userId.equals(userOf.apply(id))) {
        live.add(id);
      } else {
        remove(userId, id);
        if (userId.equals(userOf.apply(id))) {
          add(userId, id); // taken by the user again in the meantime
        }
      }
    }
    live.sort(null);
    return live;
  }

  /** How many users have an entry (for tests of its bounds). */
  public int users() {
    return byUser.size();
  }
}
