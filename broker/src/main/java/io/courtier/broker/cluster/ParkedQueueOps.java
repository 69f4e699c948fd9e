package io.courtier.broker.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The changes made to a {@link ParkedQueue}, each an entry processor that Hazelcast runs on the
 * entry's owner and, the same, on its backups (so a change is acknowledged once every copy has
 * it). They are deterministic: whatever depends on time or the caller travels in them. Every
 * member has these classes (the same jars), and reads them through {@link ParkedQueue.Factory}.
 */
final class ParkedQueueOps {

    private static final int APPEND = 10;
    private static final int PARK = 11;
    private static final int TAKE = 12;
    private static final int DRAIN = 13;
    private static final int SWEEP = 14;

    private ParkedQueueOps() {
    }

    static IdentifiedDataSerializable create(int classId) {
        return switch (classId) {
            case APPEND -> new Append();
            case PARK -> new Park();
            case TAKE -> new Take();
            case DRAIN -> new Drain();
            case SWEEP -> new Sweep();
            default -> throw new IllegalArgumentException("unknown parked-queue class " + classId);
        };
    }

    private abstract static class Op<R> implements EntryProcessor<String, ParkedQueue, R>,
            IdentifiedDataSerializable {
        @Override
        public int getFactoryId() {
            return ParkedQueue.FACTORY_ID;
        }
    }

    /** Entries with the same fields, written and read as one list. */
    private abstract static class WithEntries<R> extends Op<R> {
        List<ParkedEntry> entries;
        long now;

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(now);
            ParkedEntry.writeAll(out, entries);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            now = in.readLong();
            entries = ParkedEntry.readAll(in);
        }
    }

    /**
     * Messages for a parked session, from the node that accepted them, at the end of its queue.
     * Makes the queue if there is none yet (the node that parks the session may still be writing
     * it; one that outlives its session is swept).
     */
    static final class Append extends WithEntries<Void> {
        int max;

        Append() {
        }

        Append(List<ParkedEntry> entries, long now, int max) {
            this.entries = entries;
            this.now = now;
            this.max = max;
        }

        @Override
        public Void process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null) {
                q = new ParkedQueue(now);
            }
            q.append(entries, max);
            entry.setValue(q);
            return null;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(max);
            super.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            max = in.readInt();
            super.readData(in);
        }

        @Override
        public int getClassId() {
            return APPEND;
        }
    }

    /**
     * What the parking node's session held (in flight, then queued): ahead of anything appended
     * meanwhile. A queue a resumed session had taken is parked again, with what came late.
     */
    static final class Park extends WithEntries<Void> {
        Park() {
        }

        Park(List<ParkedEntry> entries, long now) {
            this.entries = entries;
            this.now = now;
        }

        @Override
        public Void process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null) {
                q = new ParkedQueue(now);
            }
            q.prepend(entries);
            q.takenBy = null;
            q.touchedAt = now;
            entry.setValue(q);
            return null;
        }

        @Override
        public int getClassId() {
            return PARK;
        }
    }

    /** A node resumes the session: everything queued, leaving the entry marked taken by {@code token}. */
    static final class Take extends Op<ArrayList<ParkedEntry>> {
        String token;
        long now;

        Take() {
        }

        Take(String token, long now) {
            this.token = token;
            this.now = now;
        }

        @Override
        public ArrayList<ParkedEntry> process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null) {
                q = new ParkedQueue(now);
            }
            ArrayList<ParkedEntry> all = q.takeAll();
            q.takenBy = token;
            q.touchedAt = now;
            entry.setValue(q);
            return all;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(token);
            out.writeLong(now);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            token = in.readString();
            now = in.readLong();
        }

        @Override
        public int getClassId() {
            return TAKE;
        }
    }

    /** The resuming node's last look: what came late, and the entry goes, if it is still its take. */
    static final class Drain extends Op<ArrayList<ParkedEntry>> {
        String token;

        Drain() {
        }

        Drain(String token) {
            this.token = token;
        }

        @Override
        public ArrayList<ParkedEntry> process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null || !token.equals(q.takenBy)) {
                return new ArrayList<>(); // parked again meanwhile, with what came late
            }
            entry.setValue(null);
            return q.entries;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(token);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            token = in.readString();
        }

        @Override
        public int getClassId() {
            return DRAIN;
        }
    }

    /**
     * A queue untouched since {@code before} goes when no session stands behind it: taken by a
     * node that never drained it (it died), or appended to after its session was gone.
     */
    static final class Sweep extends Op<Boolean> {
        long before;
        boolean parked;

        Sweep() {
        }

        Sweep(long before, boolean parked) {
            this.before = before;
            this.parked = parked;
        }

        @Override
        public Boolean process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q != null && q.touchedAt < before && (q.takenBy != null || !parked)) {
                entry.setValue(null);
                return true;
            }
            return false;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(before);
            out.writeBoolean(parked);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            before = in.readLong();
            parked = in.readBoolean();
        }

        @Override
        public int getClassId() {
            return SWEEP;
        }
    }
}
