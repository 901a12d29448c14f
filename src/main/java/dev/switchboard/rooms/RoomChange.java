package dev.switchboard.rooms;

import java.util.List;

/**
 * One change of a room, as {@link RoomListener}s see it.
 *
 * @param roomId the room
 * @param kind what happened
 * @param member the member that joined or left; {@code null} for {@link Kind#CREATED} and {@link Kind#CLOSED}
 * @param members the room's members after the change (the one that left is not among them)
 * @param origin whether this node made the change: listeners run on every node, and exactly one node
 *     made each change (a webhook is sent once, from there); a change a node learnt only by reloading its
 *     view has no origin anywhere
 */
public record RoomChange(String roomId, Kind kind, RoomMember member, List<RoomMember> members, boolean origin) {

  /** What happened to a room. */
  public enum Kind { CREATED, JOINED, LEFT, CLOSED }

  /** A change made on this node (a single broker's, or a test's). */
  public RoomChange(String roomId, Kind kind, RoomMember member, List<RoomMember> members) {
    this(roomId, kind, member, members, true);
  }
}
