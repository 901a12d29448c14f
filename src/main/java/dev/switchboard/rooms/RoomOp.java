package dev.switchboard.rooms;

import java.io.Serializable;
import java.util.Set;

/**
 * One atomic step on one room, given the room as stored now ({@code null}: no entry). Steps are sent to
 * where the room is stored (in a cluster, the owner of its map partition, and its backup) and must give
 * the same answer everywhere: they read no clock and no randomness of their own; the requester passes both.
 */
public sealed interface RoomOp extends Serializable {

  /** The outcome; a changed outcome's room replaces the stored one ({@code null}: the entry is deleted). */
  RoomOutcome apply(Room current);

  private static boolean live(Room room) {
    return room != null && !room.removed();
  }

  /** Creates the room unless a live room has the id. */
  record Create(String id, int capacity, long emptyTimeoutMs, Set<String> allowedUsers, String creator, long now)
      implements RoomOp {
    @Override
    public RoomOutcome apply(Room current) {
      if (live(current)) {
        return RoomOutcome.refused(current, new RoomError(RoomError.EXISTS, id, "a room with this id exists"));
      }
      return RoomOutcome.changed(Room.create(id, capacity, emptyTimeoutMs, allowedUsers, creator, current, now));
    }
  }

  /** Seats {@code peer}: the capacity check and the join are this one step. Already seated: unchanged. */
  record Join(String peer, String user) implements RoomOp {
    @Override
    public RoomOutcome apply(Room current) {
      if (!live(current)) {
        return RoomOutcome.refused(null, new RoomError(RoomError.NOT_FOUND, null, "no such room"));
      }
      if (current.has(peer)) {
        return RoomOutcome.unchanged(current);
      }
      try {
        return RoomOutcome.changed(current.join(peer, user));
      } catch (RoomError e) {
        return RoomOutcome.refused(current, e);
      }
    }
  }

  /** Takes {@code peer}'s seat away. */
  record Leave(String peer, long now) implements RoomOp {
    @Override
    public RoomOutcome apply(Room current) {
      if (!live(current) || !current.has(peer)) {
        return RoomOutcome.refused(current, new RoomError(RoomError.NOT_FOUND, null, "not a member of such a room"));
      }
      return RoomOutcome.changed(current.leave(peer, now));
    }
  }

  /** Removes a live room at once, members and all (the admin API); a tombstone stays. */
  record Remove(long now) implements RoomOp {
    @Override
    public RoomOutcome apply(Room current) {
      return live(current) ? RoomOutcome.changed(current.remove(now))
          : RoomOutcome.refused(current, new RoomError(RoomError.NOT_FOUND, null, "no such room"));
    }
  }

  /** Removes the room if it has been empty for its empty timeout (a tombstone stays). */
  record Expire(long now) implements RoomOp {
    @Override
    public RoomOutcome apply(Room current) {
      return current != null && current.expired(now) ? RoomOutcome.changed(current.remove(now))
          : RoomOutcome.unchanged(current);
    }
  }

  /** Deletes a tombstone older than {@code keepMs}. */
  record Purge(long now, long keepMs) implements RoomOp {
    @Override
    public RoomOutcome apply(Room current) {
      return current != null && current.removed() && now - current.emptySince() >= keepMs
          ? RoomOutcome.changed(null) : RoomOutcome.unchanged(current);
    }
  }
}
