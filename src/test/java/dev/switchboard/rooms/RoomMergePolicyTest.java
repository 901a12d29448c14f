package dev.switchboard.rooms;

import com.hazelcast.spi.merge.MergingValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;

/** After a split heals, the room with the higher version stays, whichever side merges into which. */
class RoomMergePolicyTest {
  private static Room room(long version) {
    return new Room("r", 2, 1_000, null, null, List.of(), version, 0, false);
  }

  private static MergingValue<Object> value(Room room) {
    return new MergingValue<>() {
      @Override public Object getRawValue() { return room; }
      @Override public Object getDeserializedValue() { return room; }
    };
  }

  @Test
  void theHigherVersionStaysAndATieKeepsTheTarget() {
    RoomMergePolicy policy = new RoomMergePolicy();
    Room older = room(3);
    Room newer = room(5);
    Room same = room(5);
    assertSame(newer, policy.merge(value(newer), value(older)));
    assertSame(newer, policy.merge(value(older), value(newer)));
    assertSame(same, policy.merge(value(newer), value(same)));
    assertSame(older, policy.merge(value(older), null));
    assertSame(older, policy.merge(null, value(older)));
  }
}
