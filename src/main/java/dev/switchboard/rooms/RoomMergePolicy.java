package dev.switchboard.rooms;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * Hazelcast's merge policy for the rooms map after a split heals: where both sides hold a room, the higher
 * version stays (the merge target's on a tie); a room only one side holds stays. A side without the quorum
 * changes no room during a split (docs/rooms-presence.md), so its rooms are never newer than the quorum
 * side's and the quorum side's rooms win whichever way Hazelcast merges (it merges the smaller side into the
 * larger, and equal halves by address — not by quorum).
 */
public final class RoomMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {
  /** The Hazelcast map of rooms this policy is for. */
  public static final String MAP = "switchboard.rooms";

  public RoomMergePolicy() {
  }

  @Override
  public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
    if (merging == null) {
      return existing == null ? null : existing.getRawValue();
    }
    if (existing == null) {
      return merging.getRawValue();
    }
    Room incoming = (Room) merging.getValue();
    Room kept = (Room) existing.getValue();
    return incoming.version() > kept.version() ? merging.getRawValue() : existing.getRawValue();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // stateless
  }

  @Override
  public void readData(ObjectDataInput in) {
    // stateless
  }
}
