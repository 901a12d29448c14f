package dev.switchboard.rooms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One room's state, as stored (in a cluster: the value of the rooms map, so it is serializable and never
 * changed in place). Every change makes a new room with {@code version} one higher; a removed room stays a
 * while as a tombstone ({@code removed}) so versions keep growing if its id is used again and late events
 * about the old room are recognised as stale. The operations are pure: the caller passes the time.
 *
 * @param id the room id
 * @param capacity the most members
 * @param emptyTimeoutMs how long the room may stay without members before it is removed
 * @param allowedUsers the users who may join, or {@code null} for anyone
 * @param creator the peer that created it, or {@code null} (the Java API)
 * @param seats the members, in the order they joined
 * @param version one more for every change
 * @param emptySince since when it has had no members (ms), or when it was removed; -1 while it has members
 * @param removed whether this is the tombstone of a removed room
 */
public record Room(String id, int capacity, long emptyTimeoutMs, Set<String> allowedUsers, String creator,
                   List<Seat> seats, long version, long emptySince, boolean removed) implements Serializable {

  /** A member's seat: its peer id and its user (the peer id without auth). */
  public record Seat(String peer, String user) implements Serializable {
    RoomMember member() {
      return new RoomMember(peer, user);
    }
  }

  public Room {
    seats = List.copyOf(seats);
    allowedUsers = allowedUsers == null ? null : Set.copyOf(allowedUsers);
  }

  /** A new empty room, created at {@code now}, after {@code previous} (a tombstone of the id, or null). */
  static Room create(String id, int capacity, long emptyTimeoutMs, Set<String> allowedUsers, String creator,
                     Room previous, long now) {
    long version = previous == null ? 1 : previous.version + 1;
    return new Room(id, capacity, emptyTimeoutMs, allowedUsers, creator, List.of(), version, now, false);
  }

  /** Whether {@code peer} has a seat. */
  public boolean has(String peer) {
    return seat(peer) != null;
  }

  Seat seat(String peer) {
    for (Seat seat : seats) {
      if (seat.peer().equals(peer)) {
        return seat;
      }
    }
    return null;
  }

  /** Whether {@code user} may join. */
  public boolean admits(String user) {
    return allowedUsers == null || allowedUsers.contains(user);
  }

  /**
   * The room with {@code peer} of {@code user} seated.
   *
   * @throws RoomError forbidden (not on the allow-list) or full
   */
  Room join(String peer, String user) {
    if (!admits(user)) {
      throw new RoomError(RoomError.FORBIDDEN, id, "this room admits listed users only");
    }
    if (seats.size() >= capacity) {
      throw new RoomError(RoomError.FULL, id, "the room is full (" + capacity + " members)");
    }
    List<Seat> more = new ArrayList<>(seats);
    more.add(new Seat(peer, user));
    return new Room(id, capacity, emptyTimeoutMs, allowedUsers, creator, more, version + 1, -1, false);
  }

  /** The room without {@code peer}'s seat (which it must have); empty from {@code now} if it was the last. */
  Room leave(String peer, long now) {
    List<Seat> fewer = new ArrayList<>(seats);
    fewer.removeIf(seat -> seat.peer().equals(peer));
    return new Room(id, capacity, emptyTimeoutMs, allowedUsers, creator, fewer, version + 1,
        fewer.isEmpty() ? now : -1, false);
  }

  /** Whether it has been empty for its empty timeout at {@code now} (a room never joined counts too). */
  public boolean expired(long now) {
    return !removed && seats.isEmpty() && now - emptySince >= emptyTimeoutMs;
  }

  /** Its tombstone, removed at {@code now}. */
  Room remove(long now) {
    return new Room(id, capacity, emptyTimeoutMs, allowedUsers, creator, List.of(), version + 1, now, true);
  }

  /** The peer ids of the members other than {@code peer}. */
  public List<String> peersBut(String peer) {
    return seats.stream().map(Seat::peer).filter(p -> !p.equals(peer)).toList();
  }

  /** The members as other features see them. */
  public List<RoomMember> members() {
    return seats.stream().map(Seat::member).toList();
  }
}
