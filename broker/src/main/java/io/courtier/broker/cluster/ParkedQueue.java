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
 * {@code takenBy} names the node that resumed the session: the queue is closed, and an append
 * that comes after (from a node that had not yet heard of the take) is refused, so that its node
 * sends the message to the session's new node instead. The entry stays, closed, with the
 * origins it saw, until the session is parked again (which opens it) or the sweep removes it.
 */
final class ParkedQueue implements IdentifiedDataSerializable {

    static final int FACTORY_ID = 0x436f7572; // "Cour"
    static final int QUEUE = 1;
    static final int ENTRY = 2;

    ArrayList<ParkedEntry> entries = new ArrayList<>();
    /** The node that took the session (the queue is closed), or null. */
    String takenBy;
    /** The payloads' bytes, for max_queued_bytes (not written: summed again when read). */
    private transient long bytes;
    /** The session's generation (its header's parkedAt) the queue belongs to: see {@link #restore}. */
    long generation;
    /** When it was made, parked or taken: a queue with no session behind it goes some time after. */
    long touchedAt;
    private transient Set<String> origins;

    ParkedQueue() {
    }

    ParkedQueue(long now) {
        this.touchedAt = now;
    }

    ParkedQueue(long now, long generation) {
        this.touchedAt = now;
        this.generation = generation;
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

    /**
     * At the end, each new one while the queue is within max_queued_messages ({@code maxMessages})
     * and max_queued_bytes ({@code maxBytes}; 0: no bound), as a session's own queue is; returns
     * how many were dropped for the limits (a message already here is not counted: it is here).
     */
    int append(List<ParkedEntry> more, int maxMessages, long maxBytes) {
        int dropped = 0;
        for (ParkedEntry e : more) {
            if (origins().contains(e.origin)) {
                continue;
            }
            if ((maxMessages > 0 && entries.size() >= maxMessages) || (maxBytes > 0 && bytes + e.size > maxBytes)) {
                dropped++;
                continue;
            }
            origins.add(e.origin);
            entries.add(e);
            bytes += e.size;
        }
        return dropped;
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
        bytes = sum(merged);
    }

    private static long sum(List<ParkedEntry> entries) {
        long n = 0;
        for (ParkedEntry e : entries) {
            n += e.size;
        }
        return n;
    }

    /**
     * A share of the queue that a node kept on disk, put back after a restart: merged with what is
     * here by {@link ParkedEntry#at} (each share is in order already; on equal places what is here
     * goes first), each origin once, whatever the limits (these messages were acknowledged). A
     * share of an older generation than this queue's is refused (false); one of a newer generation
     * replaces what is here (the session was parked again since).
     */
    boolean restore(long ofGeneration, List<ParkedEntry> share) {
        if (ofGeneration < generation) {
            return false;
        }
        if (ofGeneration > generation) {
            generation = ofGeneration;
            entries = new ArrayList<>();
            origins = new HashSet<>();
        }
        Set<String> seen = origins();
        ArrayList<ParkedEntry> merged = new ArrayList<>(entries.size() + share.size());
        int i = 0;
        for (ParkedEntry e : share) {
            while (i < entries.size() && entries.get(i).at <= e.at) {
                merged.add(entries.get(i++));
            }
            if (seen.add(e.origin)) {
                merged.add(e);
            }
        }
        while (i < entries.size()) {
            merged.add(entries.get(i++));
        }
        entries = merged;
        bytes = sum(merged);
        return true;
    }

    /** Empties it, keeping the origins seen, so a late duplicate of a message taken is still kept out. */
    ArrayList<ParkedEntry> takeAll() {
        origins();
        ArrayList<ParkedEntry> all = entries;
        entries = new ArrayList<>();
        bytes = 0;
        return all;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(takenBy);
        out.writeLong(touchedAt);
        out.writeLong(generation);
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
        generation = in.readLong();
        entries = ParkedEntry.readAll(in);
        bytes = sum(entries);
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
