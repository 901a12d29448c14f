package dev.switchboard.admin;

import dev.switchboard.auth.AdmissionCheck;
import dev.switchboard.protocol.CloseReason;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's view of the bans, checked by every connecting peer (an {@link AdmissionCheck}: a map
 * look-up, and nothing at all while no ban exists). {@link BanSync} keeps it equal to the cluster's.
 *
 * <p>Each change remembers when this node made or heard it, so a reload read from the cluster's store
 * before a change does not undo it.
 */
final class BanList implements AdmissionCheck {
  private record Entry(Ban ban, long changedAt) {
  }

  private final Clock clock;
  private final Map<String, Entry> bans = new ConcurrentHashMap<>();
  private final Map<String, Long> lifted = new ConcurrentHashMap<>();

  BanList(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CloseReason refuse(String peerId, String userId) {
    if (bans.isEmpty()) {
      return null;
    }
    Entry entry = bans.get(userId != null ? userId : peerId);
    return entry != null && entry.ban().holdsAt(clock.millis()) ? CloseReason.BANNED : null;
  }

  /** Whether {@code user} is banned now. */
  boolean banned(String user) {
    Entry entry = bans.get(user);
    return entry != null && entry.ban().holdsAt(clock.millis());
  }

  void add(Ban ban) {
    long now = clock.millis();
    lifted.remove(ban.user());
    bans.put(ban.user(), new Entry(ban, now));
  }

  void lift(String user) {
    long now = clock.millis();
    bans.remove(user);
    lifted.put(user, now);
  }

  /** The bans that hold now, oldest first. */
  List<Ban> list() {
    long now = clock.millis();
    return bans.values().stream().map(Entry::ban).filter(b -> b.holdsAt(now))
        .sorted(Comparator.comparingLong(Ban::createdAt)).toList();
  }

  /** How many bans hold now (ended ones are dropped here, so they never count against {@code --max_bans}). */
  int size() {
    long now = clock.millis();
    bans.entrySet().removeIf(e -> !e.getValue().ban().holdsAt(now));
    return bans.size();
  }

  /**
   * Makes the view the cluster store's content, read from {@code readStartedAt} on: changes this node
   * made or heard since then stay as they are. Expired bans and old lift marks go.
   *
   * @return the users banned by this reload who were not before (their peers here must be ended)
   */
  List<String> replaceAll(Collection<Ban> stored, long readStartedAt) {
    List<String> added = new java.util.ArrayList<>();
    long now = clock.millis();
    Map<String, Ban> byUser = new java.util.HashMap<>();
    stored.forEach(b -> byUser.put(b.user(), b));
    bans.entrySet().removeIf(e -> e.getValue().changedAt() < readStartedAt && !byUser.containsKey(e.getKey()));
    byUser.forEach((user, ban) -> {
      Long liftedAt = lifted.get(user);
      Entry mine = bans.get(user);
      boolean newerHere = (liftedAt != null && liftedAt >= readStartedAt)
          || (mine != null && mine.changedAt() >= readStartedAt);
      if (!newerHere && ban.holdsAt(now) && bans.put(user, new Entry(ban, readStartedAt - 1)) == null) {
        added.add(user);
      }
    });
    bans.entrySet().removeIf(e -> !e.getValue().ban().holdsAt(now));
    lifted.entrySet().removeIf(e -> e.getValue() < readStartedAt);
    return added;
  }
}
