package dev.switchboard.rooms;

import dev.switchboard.cluster.NewerValueMergePolicy;

/**
 * Hazelcast's merge policy for the rooms map after a split heals: where both sides hold a room, the higher
 * version stays (the merge target's on a tie); a room only one side holds stays. A side without the quorum
 * changes no room during a split (docs/rooms-presence.md), so its rooms are never newer than the quorum
 * side's and the quorum side's rooms win whichever way Hazelcast merges (it merges the smaller side into the
 * larger, and equal halves by address — not by quorum).
 */
public final class RoomMergePolicy extends NewerValueMergePolicy {
  /** The Hazelcast map of rooms this policy is for. */
  public static final String MAP = "switchboard.rooms";

  public RoomMergePolicy() {
  }

  @Override
  protected boolean newer(Object merging, Object existing) {
    return ((Room) merging).version() > ((Room) existing).version();
  }
}
