package dev.switchboard.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * A Hazelcast merge policy that, after a split heals, keeps whichever of two values for one key is newer
 * by the subclass's rule, and a value only one side holds. Stateless, so it writes nothing; Hazelcast
 * creates it by its public no-argument constructor.
 */
public abstract class NewerValueMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

  /** Whether {@code merging} (the joining side's value) is newer than {@code existing} (the merge target's). */
  protected abstract boolean newer(Object merging, Object existing);

  @Override
  public final Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
    if (merging == null) {
      return existing == null ? null : existing.getRawValue();
    }
    if (existing == null) {
      return merging.getRawValue();
    }
    return newer(merging.getDeserializedValue(), existing.getDeserializedValue()) ? merging.getRawValue() : existing.getRawValue();
  }

  @Override
  public final void writeData(ObjectDataOutput out) {
    // stateless
  }

  @Override
  public final void readData(ObjectDataInput in) {
    // stateless
  }
}
