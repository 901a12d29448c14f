package dev.switchboard.rooms;

/**
 * A refused room request: the sender gets {@code ROOM-ERROR {roomId?, code, msg}} and stays connected; the
 * Java API's future fails with it. The codes are listed in docs/rooms-presence.md.
 */
public final class RoomError extends RuntimeException {
  public static final String FULL = "full";
  public static final String NOT_FOUND = "not_found";
  public static final String EXISTS = "exists";
  public static final String FORBIDDEN = "forbidden";
  public static final String INVALID = "invalid";
  public static final String LIMIT = "limit";
  /** The room store could not be reached (a cluster split, a node going down): try again. */
  public static final String UNAVAILABLE = "unavailable";

  private final String code;
  private final String roomId;

  public RoomError(String code, String roomId, String message) {
    super(message, null, false, false);
    this.code = code;
    this.roomId = roomId;
  }

  /** One of the codes above. */
  public String code() {
    return code;
  }

  /** The room the request named, or {@code null}. */
  public String roomId() {
    return roomId;
  }
}
