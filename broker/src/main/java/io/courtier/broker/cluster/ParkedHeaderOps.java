package io.courtier.broker.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The conditional changes made to a session's {@link ParkedHeader}, as entry processors run on the
 * entry's owner (and, the same, on its backups): an online session's copy never overwrites a
 * parked one, a take waits while the node that holds the session is alive to park it, and a node
 * that left has its online sessions parked.
 */
final class ParkedHeaderOps {

    private static final int SET_ONLINE = 20;
    private static final int REMOVE_ONLINE = 21;
    private static final int TAKE = 22;
    private static final int PARK_IF_GONE = 23;
    private static final int RESTORE = 24;
    private static final int PARK_RESTORED = 25;
    /** What {@link Take} answers while the session's node is alive and has yet to park it. */
    static final byte[] WAIT = new byte[0];

    private ParkedHeaderOps() {
    }

    static IdentifiedDataSerializable create(int classId) {
        return switch (classId) {
            case SET_ONLINE -> new SetOnline();
            case REMOVE_ONLINE -> new RemoveOnline();
            case TAKE -> new Take();
            case PARK_IF_GONE -> new ParkIfGone();
            case RESTORE -> new Restore();
            case PARK_RESTORED -> new ParkRestored();
            default -> ParkedQueueOps.create(classId);
        };
    }

    private abstract static class Op<R> implements EntryProcessor<String, byte[], R>, IdentifiedDataSerializable {
        @Override
        public int getFactoryId() {
            return ParkedQueue.FACTORY_ID;
        }

        static String onlineAt(byte[] header) {
            return header == null ? null : ParkedHeader.decode(header, "").onlineAt();
        }

        static boolean onlineAt(byte[] header, String node) {
            return header != null && ParkedHeader.decode(header, "").online() && node.equals(onlineAt(header));
        }

        static boolean takingBy(byte[] header, String node) {
            if (header == null) {
                return false;
            }
            ParkedHeader h = ParkedHeader.decode(header, "");
            return h.taking() && node.equals(h.onlineAt());
        }
    }

    /** A node's copy of an online session: written unless the session is parked (or online elsewhere). */
    static final class SetOnline extends Op<Void> {
        String node;
        byte[] header;

        SetOnline() {
        }

        SetOnline(String node, byte[] header) {
            this.node = node;
            this.header = header;
        }

        @Override
        public Void process(Map.Entry<String, byte[]> entry) {
            byte[] now = entry.getValue();
            if (now == null || onlineAt(now, node)) {
                entry.setValue(header);
            }
            return null;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(node);
            out.writeByteArray(header);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            node = in.readString();
            header = in.readByteArray();
        }

        @Override
        public int getClassId() {
            return SET_ONLINE;
        }
    }

    /**
     * A session's copy goes if it is still {@code node}'s: online there (its session ended there;
     * a parked copy stays), or, with {@code taking}, being taken by it (its routes are known now).
     */
    static final class RemoveOnline extends Op<Void> {
        String node;
        boolean taking;

        RemoveOnline() {
        }

        RemoveOnline(String node, boolean taking) {
            this.node = node;
            this.taking = taking;
        }

        @Override
        public Void process(Map.Entry<String, byte[]> entry) {
            byte[] header = entry.getValue();
            if (taking ? takingBy(header, node) : onlineAt(header, node)) {
                entry.setValue(null);
            }
            return null;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(node);
            out.writeBoolean(taking);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            node = in.readString();
            taking = in.readBoolean();
        }

        @Override
        public int getClassId() {
            return REMOVE_ONLINE;
        }
    }

    /** Nodes alive now, carried by the processors that need them. */
    private abstract static class WithNodes<R> extends Op<R> {
        Set<String> alive;
        long now;

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(now);
            out.writeInt(alive.size());
            for (String n : alive) {
                out.writeString(n);
            }
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            now = in.readLong();
            int n = in.readInt();
            alive = new HashSet<>();
            for (int i = 0; i < n; i++) {
                alive.add(in.readString());
            }
        }
    }

    /**
     * A CONNECT takes the session: the header is returned and marked taken by this node (every
     * node still routes to the queue until {@link RemoveOnline}); {@link #WAIT} while it is online at, or
     * being taken by, another node still alive (which parks it once it has taken the connection
     * over); null if none.
     */
    static final class Take extends WithNodes<byte[]> {
        String me;

        Take() {
        }

        Take(String me, Set<String> alive, long now) {
            this.me = me;
            this.alive = alive;
            this.now = now;
        }

        @Override
        public byte[] process(Map.Entry<String, byte[]> entry) {
            byte[] header = entry.getValue();
            if (header == null) {
                return null;
            }
            String at = onlineAt(header);
            if (at != null && !at.equals(me) && alive.contains(at)) {
                return WAIT;
            }
            entry.setValue(ParkedHeader.decode(header, "").takenBy(me));
            return header;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(me);
            super.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            me = in.readString();
            super.readData(in);
        }

        @Override
        public int getClassId() {
            return TAKE;
        }
    }

    /** A session online at a node that left is parked now: every node routes to it from here on. */
    static final class ParkIfGone extends WithNodes<Boolean> {
        ParkIfGone() {
        }

        ParkIfGone(Set<String> alive, long now) {
            this.alive = alive;
            this.now = now;
        }

        @Override
        public Boolean process(Map.Entry<String, byte[]> entry) {
            byte[] header = entry.getValue();
            if (header == null) {
                return false;
            }
            ParkedHeader h = ParkedHeader.decode(header, "");
            if (h.onlineAt() == null || alive.contains(h.onlineAt())) {
                return false;
            }
            entry.setValue(h.parkedNow(now));
            return true;
        }

        @Override
        public int getClassId() {
            return PARK_IF_GONE;
        }
    }

    /**
     * A header a node kept on disk, put back after a restart ({@link ParkedDisk}): written where
     * there is none, or over a parked header of an older generation (the session was parked again
     * since that one); true if the cluster now has this generation, false if it knows a newer
     * state of the session (parked again, taken or online since), whose share is then stale.
     */
    static final class Restore extends Op<Boolean> {
        long generation;
        byte[] header;

        Restore() {
        }

        Restore(long generation, byte[] header) {
            this.generation = generation;
            this.header = header;
        }

        @Override
        public Boolean process(Map.Entry<String, byte[]> entry) {
            byte[] now = entry.getValue();
            if (now == null) {
                entry.setValue(header);
                return true;
            }
            ParkedHeader h = ParkedHeader.decode(now, "");
            if (h.parkedAt() == generation) {
                return true;
            }
            if (h.parkedAt() < generation && h.onlineAt() == null) {
                entry.setValue(header);
                return true;
            }
            return false;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(generation);
            out.writeByteArray(header);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            generation = in.readLong();
            header = in.readByteArray();
        }

        @Override
        public int getClassId() {
            return RESTORE;
        }
    }

    /**
     * A session this node restored from its store at start-up goes to the cluster: its header is
     * written unless the cluster holds the session already; a parked one stays as it is (its
     * generation and subscriptions, newer than the store's), and the store's messages are merged
     * into its queue. Answers the header in effect, or null while the client is online at, or
     * being taken by, another node alive (the session stays here, as before).
     */
    static final class ParkRestored extends WithNodes<byte[]> {
        String me;
        byte[] header;

        ParkRestored() {
        }

        ParkRestored(String me, Set<String> alive, byte[] header) {
            this.me = me;
            this.alive = alive;
            this.header = header;
            this.now = System.currentTimeMillis();
        }

        @Override
        public byte[] process(Map.Entry<String, byte[]> entry) {
            byte[] now = entry.getValue();
            String at = onlineAt(now);
            if (now != null && at == null) {
                return now;
            }
            if (at != null && !at.equals(me) && alive.contains(at)) {
                return null;
            }
            entry.setValue(header);
            return header;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(me);
            out.writeByteArray(header);
            super.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            me = in.readString();
            header = in.readByteArray();
            super.readData(in);
        }

        @Override
        public int getClassId() {
            return PARK_RESTORED;
        }
    }
}
