package dev.switchboard.rooms;

import java.util.Set;

/**
 * Rooms as other features (presence, webhooks, the admin API) see them (docs/rooms-presence.md).
 */
public interface Rooms {

  /** Adds a listener for changes of rooms (created, members, closed) anywhere in the cluster. */
  void addListener(RoomListener listener);

  /**
   * The users that share a room with user {@code userId} (through any of its peers), as this node knows
   * them now; {@code userId} itself is not listed. Answered from this node's view, without a round trip.
   */
  Set<String> roomMatesOf(String userId);
}
