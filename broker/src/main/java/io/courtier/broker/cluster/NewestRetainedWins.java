package io.courtier.broker.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.courtier.broker.persistence.codec.RetainedCodec;

/**
 * Hazelcast's merge policy for the retained map ({@link RetainedSync}) when a partition heals:
 * of a topic's two records, the one set (or cleared: a tombstone) last by the clock of the node
 * that accepted it wins; a topic held on one side only keeps its record. What a user expects of
 * "the retained message": the last one published, whichever side of the split it was published on.
 * A tie keeps the larger side's.
 */
public final class NewestRetainedWins implements SplitBrainMergePolicy<byte[], MergingValue<byte[]>, Object> {

    @Override
    public Object merge(MergingValue<byte[]> merging, MergingValue<byte[]> existing) {
        if (existing == null) {
            return merging.getRawValue();
        }
        if (merging == null) {
            return existing.getRawValue();
        }
        long mergingAt = RetainedCodec.decode(merging.getDeserializedValue()).storedAtMillis();
        long existingAt = RetainedCodec.decode(existing.getDeserializedValue()).storedAtMillis();
        return mergingAt > existingAt ? merging.getRawValue() : existing.getRawValue();
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // no state
    }

    @Override
    public void readData(ObjectDataInput in) {
        // no state
    }
}
