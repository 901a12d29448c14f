package dev.switchboard.rooms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's replica of every room of the cluster, fed by the room events every node publishes and
 * reloaded from the store now and then (so a missed event heals). A snapshot replaces what the view holds
 * only when its version is higher, so events that arrive out of order are dropped as stale. Changes are
 * made under this object's lock; reads ({@link #roomsOf}, {@link #roomMatesOf} …) take none.
 */
final class RoomView {

  /** What one applied snapshot changed: the seats that joined and those that left. */
  record Change(Room before, Room after, List<Room.Seat> joined, List<Room.Seat> left) {
    boolean any() {
      return !joined.isEmpty() || !left.isEmpty() || created() || closed();
    }

    /** The room came to be (it was unknown here, or a tombstone). */
    boolean created() {
      return !isLive(before) && isLive(after);
    }

    /** The room went away (removed: emptied past its timeout, or by the application). */
    boolean closed() {
      return isLive(before) && !isLive(after);
    }
  }

  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final Map<String, Long> seenAt = new HashMap<>();
  private final ConcurrentHashMap<String, Set<String>> roomsOfPeer = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> roomsOfUser = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> createdBy = new ConcurrentHashMap<>();
  private volatile int live;
  private volatile int members;

  /** Takes {@code snapshot} if it is newer than what the view holds; {@code null} when it is stale. */
  synchronized Change apply(Room snapshot, long now) {
    Room before = rooms.get(snapshot.id());
    if (before != null && snapshot.version() <= before.version()) {
      return null;
    }
    rooms.put(snapshot.id(), snapshot);
    seenAt.put(snapshot.id(), now);
    return indexed(before, snapshot);
  }

  /**
   * Replaces the view with the store's rooms: newer snapshots are taken, and rooms the store no longer has
   * are dropped unless an event brought them after {@code since} (the reload may have missed them).
   */
  synchronized List<Change> reload(Collection<Room> stored, long since, long now) {
    List<Change> changes = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Room room : stored) {
      present.add(room.id());
      Change change = apply(room, now);
      if (change != null) {
        changes.add(change);
      }
    }
    for (String id : List.copyOf(rooms.keySet())) {
      if (!present.contains(id) && seenAt.getOrDefault(id, 0L) < since) {
        changes.add(drop(id));
      }
    }
    return changes;
  }

  /** Forgets tombstones older than {@code keepMs}. */
  synchronized void purge(long now, long keepMs) {
    for (Room room : List.copyOf(rooms.values())) {
      if (room.removed() && now - room.emptySince() >= keepMs) {
        drop(room.id());
      }
    }
  }

  private Change drop(String id) {
    Room before = rooms.remove(id);
    seenAt.remove(id);
    return indexed(before, null);
  }

  // Keeps the indexes in step with one room going from before to after (either may be null).
  private Change indexed(Room before, Room after) {
    List<Room.Seat> was = seats(before);
    List<Room.Seat> now = seats(after);
    List<Room.Seat> joined = now.stream().filter(s -> !was.contains(s)).toList();
    List<Room.Seat> left = was.stream().filter(s -> !now.contains(s)).toList();
    String id = before != null ? before.id() : after.id();
    for (Room.Seat seat : left) {
      unindex(roomsOfPeer, seat.peer(), id);
    }
    for (Room.Seat seat : joined) {
      index(roomsOfPeer, seat.peer(), id);
    }
    Set<String> usersAfter = users(now);
    for (String user : users(was)) {
      if (!usersAfter.contains(user)) {
        unindex(roomsOfUser, user, id);
      }
    }
    for (String user : usersAfter) {
      index(roomsOfUser, user, id);
    }
    String creatorBefore = isLive(before) ? before.creator() : null;
    String creatorAfter = isLive(after) ? after.creator() : null;
    if (creatorBefore != null && !creatorBefore.equals(creatorAfter)) {
      unindex(createdBy, creatorBefore, id);
    }
    if (creatorAfter != null) {
      index(createdBy, creatorAfter, id);
    }
    live += (isLive(after) ? 1 : 0) - (isLive(before) ? 1 : 0);
    members += now.size() - was.size();
    return new Change(before, after, joined, left);
  }

  private static boolean isLive(Room room) {
    return room != null && !room.removed();
  }

  private static List<Room.Seat> seats(Room room) {
    return room == null ? List.of() : room.seats();
  }

  private static Set<String> users(List<Room.Seat> seats) {
    Set<String> users = new HashSet<>();
    seats.forEach(seat -> users.add(seat.user()));
    return users;
  }

  private static void index(ConcurrentHashMap<String, Set<String>> index, String key, String roomId) {
    index.compute(key, (k, ids) -> {
      Set<String> more = ids == null ? new HashSet<>() : new HashSet<>(ids);
      more.add(roomId);
      return Set.copyOf(more);
    });
  }

  private static void unindex(ConcurrentHashMap<String, Set<String>> index, String key, String roomId) {
    index.computeIfPresent(key, (k, ids) -> {
      Set<String> fewer = new HashSet<>(ids);
      fewer.remove(roomId);
      return fewer.isEmpty() ? null : Set.copyOf(fewer);
    });
  }

  /** The room as this node knows it, or {@code null} (a tombstone counts as none). */
  Room get(String roomId) {
    Room room = rooms.get(roomId);
    return isLive(room) ? room : null;
  }

  /** The room as this node knows it, tombstones included, or {@code null}. */
  Room raw(String roomId) {
    return rooms.get(roomId);
  }

  /** The rooms {@code peer} is a member of. */
  Set<String> roomsOf(String peer) {
    return roomsOfPeer.getOrDefault(peer, Set.of());
  }

  /** How many rooms created by {@code peer} exist and have no members. */
  int emptyCreatedBy(String peer) {
    int count = 0;
    for (String id : createdBy.getOrDefault(peer, Set.of())) {
      Room room = get(id);
      if (room != null && room.seats().isEmpty()) {
        count++;
      }
    }
    return count;
  }

  /** The users sharing a room with {@code user}, without it. */
  Set<String> roomMatesOf(String user) {
    Set<String> mates = new HashSet<>();
    for (String id : roomsOfUser.getOrDefault(user, Set.of())) {
      Room room = rooms.get(id);
      if (room != null) {
        room.seats().forEach(seat -> mates.add(seat.user()));
      }
    }
    mates.remove(user);
    return Set.copyOf(mates);
  }

  /** The live rooms in the view, by id. */
  java.util.List<Room> live() {
    return rooms.values().stream().filter(RoomView::isLive)
        .sorted(java.util.Comparator.comparing(Room::id)).toList();
  }

  /** Live rooms in the view. */
  int size() {
    return live;
  }

  /** Members of all rooms in the view. */
  int memberCount() {
    return members;
  }
}
