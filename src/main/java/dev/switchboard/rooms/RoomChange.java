package dev.switchboard.rooms;

import java.util.List;

/**
 * One change of a room's members, as {@link RoomListener}s see it.
 *
 * @param roomId the room
 * @param kind what happened to {@code member}
 * @param member the member that joined or left
 * @param members the room's members after the change (the one that left is not among them)
 */
public record RoomChange(String roomId, Kind kind, RoomMember member, List<RoomMember> members) {

  /** What happened to a room's member. */
  public enum Kind { JOINED, LEFT }
}
