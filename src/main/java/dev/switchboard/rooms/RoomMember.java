package dev.switchboard.rooms;

/**
 * A member of a room.
 *
 * @param peerId the member's peer id
 * @param userId the member's verified user id under {@code --auth}, else its peer id (without auth every
 *     peer is its own user)
 */
public record RoomMember(String peerId, String userId) {
}
