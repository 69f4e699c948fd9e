package io.courtier.broker.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parked session's messages, in order: the value of one entry of the
 * {@value ParkedSessions#QUEUES} map, kept as an object on its partition's owner and backup
 * (the map's in-memory format is OBJECT), so that an append changes a list instead of
 * reserialising the whole queue. Changed only by {@link ParkedQueueOps}' entry processors, which
 * Hazelcast runs on the owner and again on each backup. A message whose origin is already here is
 * not added again (a retried append, or a message that reached the queue by two paths).
 * <p>
 * {@code takenBy} is set while a node that resumed the session waits for late appends (from
 * publishers that had not yet heard that it was taken), which it collects once more before the
 * entry goes.
 */
final class ParkedQueue implements IdentifiedDataSerializable {

    static final int FACTORY_ID = 0x436f7572; // "Cour"
    static final int QUEUE = 1;
    static final int ENTRY = 2;

    ArrayList<ParkedEntry> entries = new ArrayList<>();
    String takenBy;
    /** When it was made, parked or taken: a queue with no session behind it goes some time after. */
    long touchedAt;
    private transient Set<String> origins;

    ParkedQueue() {
    }

    ParkedQueue(long now) {
        this.touchedAt = now;
    }

    private Set<String> origins() {
        if (origins == null) {
            origins = new HashSet<>();
            for (ParkedEntry e : entries) {
                origins.add(e.origin);
            }
        }
        return origins;
    }

    /** At the end, each new one while fewer than {@code max} wait (0: no bound; the rest are dropped, as Mosquitto does). */
    void append(List<ParkedEntry> more, int max) {
        for (ParkedEntry e : more) {
            if ((max <= 0 || entries.size() < max) && origins().add(e.origin)) {
                entries.add(e);
            }
        }
    }

    /** Messages older than those here (what the parking node held): ahead of them. */
    void prepend(List<ParkedEntry> older) {
        ArrayList<ParkedEntry> merged = new ArrayList<>(older.size() + entries.size());
        Set<String> seen = new HashSet<>();
        for (ParkedEntry e : older) {
            if (seen.add(e.origin)) {
                merged.add(e);
            }
        }
        for (ParkedEntry e : entries) {
            if (seen.add(e.origin)) {
                merged.add(e);
            }
        }
        entries = merged;
        origins = seen;
    }

    /** Empties it, keeping the origins seen, so a late duplicate of a message taken is still kept out. */
    ArrayList<ParkedEntry> takeAll() {
        origins();
        ArrayList<ParkedEntry> all = entries;
        entries = new ArrayList<>();
        return all;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(takenBy);
        out.writeLong(touchedAt);
        ParkedEntry.writeAll(out, entries);
        Set<String> seen = origins();
        out.writeInt(seen.size());
        for (String o : seen) {
            out.writeString(o);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        takenBy = in.readString();
        touchedAt = in.readLong();
        entries = ParkedEntry.readAll(in);
        int seen = in.readInt();
        origins = new HashSet<>();
        for (int i = 0; i < seen; i++) {
            origins.add(in.readString());
        }
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return QUEUE;
    }

    /** Makes the parked queue's classes when Hazelcast reads them (registered in the member's configuration). */
    static final class Factory implements DataSerializableFactory {
        @Override
        public IdentifiedDataSerializable create(int classId) {
            return switch (classId) {
                case QUEUE -> new ParkedQueue();
                case ENTRY -> new ParkedEntry();
                default -> ParkedHeaderOps.create(classId);
            };
        }
    }
}
