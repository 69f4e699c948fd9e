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
    private static final int REOPEN = 13;
    private static final int SWEEP = 14;
    private static final int RESTORE = 15;

    private ParkedQueueOps() {
    }

    static IdentifiedDataSerializable create(int classId) {
        return switch (classId) {
            case APPEND -> new Append();
            case PARK -> new Park();
            case TAKE -> new Take();
            case REOPEN -> new Reopen();
            case SWEEP -> new Sweep();
            case RESTORE -> new Restore();
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
     * Messages for a parked session, from the node that accepted them, at the end of its queue
     * within the queue limits. Answers how many the limits dropped ({@link Integer}), or, when a
     * node has taken the session (the queue is closed), that node's name ({@link String}): nothing
     * is appended, and the caller sends the messages there. Makes the queue if there is none yet
     * (the node that parks the session may still be writing it; one that outlives its session is
     * swept).
     */
    static final class Append extends WithEntries<Object> {
        int maxMessages;
        long maxBytes;
        long generation;

        Append() {
        }

        Append(List<ParkedEntry> entries, long now, int maxMessages, long maxBytes, long generation) {
            this.entries = entries;
            this.now = now;
            this.maxMessages = maxMessages;
            this.maxBytes = maxBytes;
            this.generation = generation;
        }

        @Override
        public Object process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null) {
                q = new ParkedQueue(now, generation);
            } else if (q.takenBy != null) {
                return q.takenBy;
            }
            int dropped = q.append(entries, maxMessages, maxBytes);
            entry.setValue(q);
            return dropped;
        }

        /** The node that took the session, if {@code answer} (an {@link Append}'s) says the queue was closed. */
        static String takenBy(Object answer) {
            return answer instanceof String node ? node : null;
        }

        /** How many messages the limits dropped, by {@code answer} (an {@link Append}'s). */
        static int dropped(Object answer) {
            return answer instanceof Integer n ? n : 0;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(maxMessages);
            out.writeLong(maxBytes);
            out.writeLong(generation);
            super.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            maxMessages = in.readInt();
            maxBytes = in.readLong();
            generation = in.readLong();
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
            q.generation = now; // the header's parkedAt
            entry.setValue(q);
            return null;
        }

        @Override
        public int getClassId() {
            return PARK;
        }
    }

    /**
     * A share of the queue a node kept on disk ({@link ParkedDisk}), or the messages of a session
     * this node restored from its store at start-up, merged in ({@link ParkedQueue#restore}).
     * Answers whether the share was taken in: false if the cluster has a newer generation, or the
     * queue is closed (a node took the session; its share goes with the take).
     */
    static final class Restore extends WithEntries<Boolean> {
        long generation;

        Restore() {
        }

        Restore(List<ParkedEntry> entries, long now, long generation) {
            this.entries = entries;
            this.now = now;
            this.generation = generation;
        }

        @Override
        public Boolean process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null) {
                q = new ParkedQueue(now, generation);
            } else if (q.takenBy != null) {
                return false;
            }
            boolean taken = q.restore(generation, entries);
            q.touchedAt = now;
            entry.setValue(q);
            return taken;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(generation);
            super.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            generation = in.readLong();
            super.readData(in);
        }

        @Override
        public int getClassId() {
            return RESTORE;
        }
    }

    /**
     * A node resumes the session: everything queued, and the queue closed, taken by {@code node}:
     * later appends are refused and go to that node instead, so that no message lands here after
     * the take (none is collected late, none twice).
     */
    static final class Take extends Op<ArrayList<ParkedEntry>> {
        String node;
        long now;

        Take() {
        }

        Take(String node, long now) {
            this.node = node;
            this.now = now;
        }

        @Override
        public ArrayList<ParkedEntry> process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q == null) {
                q = new ParkedQueue(now);
            }
            ArrayList<ParkedEntry> all = q.takeAll();
            q.takenBy = node;
            q.touchedAt = now;
            entry.setValue(q);
            return all;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(node);
            out.writeLong(now);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            node = in.readString();
            now = in.readLong();
        }

        @Override
        public int getClassId() {
            return TAKE;
        }
    }

    /**
     * The node that took the session left before its client had it: the queue opens again (the
     * session is parked again from its header), so that what comes next is queued, not sent to a
     * node that is gone.
     */
    static final class Reopen extends Op<Void> {
        String node;
        long now;

        Reopen() {
        }

        Reopen(String node, long now) {
            this.node = node;
            this.now = now;
        }

        @Override
        public Void process(Map.Entry<String, ParkedQueue> entry) {
            ParkedQueue q = entry.getValue();
            if (q != null && node.equals(q.takenBy)) {
                q.takenBy = null;
                q.touchedAt = now;
                entry.setValue(q);
            }
            return null;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(node);
            out.writeLong(now);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            node = in.readString();
            now = in.readLong();
        }

        @Override
        public int getClassId() {
            return REOPEN;
        }
    }

    /**
     * A queue untouched since {@code before} goes when no session stands behind it: closed by a
     * take (the taking node has the session; an append that late was refused long since), or
     * appended to after its session was gone.
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
