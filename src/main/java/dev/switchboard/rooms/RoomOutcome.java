package dev.switchboard.rooms;

import java.io.Serializable;

/**
 * What one atomic step on a room did: the room after it (or as it was, when nothing changed; {@code null}
 * for no room), whether it changed, and the refusal if it was refused.
 */
public record RoomOutcome(Room room, boolean changed, String errorCode, String errorMessage) implements Serializable {

  static RoomOutcome changed(Room room) {
    return new RoomOutcome(room, true, null, null);
  }

  static RoomOutcome unchanged(Room room) {
    return new RoomOutcome(room, false, null, null);
  }

  static RoomOutcome refused(Room room, RoomError error) {
    return new RoomOutcome(room, false, error.code(), error.getMessage());
  }

  public boolean refused() {
    return errorCode != null;
  }

  /** The refusal as an exception for {@code roomId}. */
  public RoomError error(String roomId) {
    return new RoomError(errorCode, roomId, errorMessage);
  }
}
