package io.courtier.broker.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.courtier.broker.model.Message;
import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.session.ClientPresence.HeldMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One message in a parked session's queue: its cluster-wide origin ({@link Message#clusterOrigin},
 * which keeps it once however many paths bring it), how it goes to the client (QoS, RETAIN flag,
 * subscription identifiers; a packet id and whether PUBREL went out when it was in flight on the
 * node that parked the session), and the message in the store's own record format. {@code at}
 * is its place in time ({@link Origins#tick} of the node that queued it): the order in which the
 * shares of a queue that several nodes kept on disk are merged again after a restart.
 */
final class ParkedEntry implements IdentifiedDataSerializable {

    String origin;
    int qos;
    boolean retainFlag;
    int[] subscriptionIds;
    int packetId;
    boolean pubrelSent;
    /** The payload's size, which max_queued_bytes counts, as a session's own queue does. */
    int size;
    byte[] message;
    long at;

    ParkedEntry() {
    }

    ParkedEntry(String origin, Message m, int qos, boolean retainFlag, int[] subscriptionIds, int packetId,
                boolean pubrelSent, long at) {
        this.at = at;
        this.origin = origin;
        this.qos = qos;
        this.retainFlag = retainFlag;
        this.subscriptionIds = subscriptionIds == null ? Message.NO_IDS : subscriptionIds;
        this.packetId = packetId;
        this.pubrelSent = pubrelSent;
        this.size = m.payloadSize();
        this.message = MessageCodec.encode(m);
    }

    /** The message as a session holds it; the caller owns the reference. */
    HeldMessage held(boolean keepPacketId) {
        Message m = MessageCodec.decode(message).toMessage();
        m.clusterOrigin(origin);
        return new HeldMessage(m, qos, retainFlag, subscriptionIds, keepPacketId ? packetId : 0,
                keepPacketId && pubrelSent);
    }

    /** A list of entries, as the queue and the processors that carry entries write it. */
    static void writeAll(ObjectDataOutput out, List<ParkedEntry> entries) throws IOException {
        out.writeInt(entries.size());
        for (ParkedEntry e : entries) {
            e.writeData(out);
        }
    }

    static ArrayList<ParkedEntry> readAll(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        ArrayList<ParkedEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ParkedEntry e = new ParkedEntry();
            e.readData(in);
            entries.add(e);
        }
        return entries;
    }

    /** As a node keeps it on disk ({@link ParkedDisk}). */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(DISK_VERSION);
            out.writeUTF(origin);
            out.writeByte(qos);
            out.writeBoolean(retainFlag);
            out.writeInt(subscriptionIds.length);
            for (int id : subscriptionIds) {
                out.writeInt(id);
            }
            out.writeInt(packetId);
            out.writeBoolean(pubrelSent);
            out.writeLong(at);
            out.writeInt(size);
            out.writeInt(message.length);
            out.write(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ParkedEntry fromBytes(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != DISK_VERSION) {
                throw new IllegalArgumentException("parked message of an unknown version " + value[0]);
            }
            ParkedEntry e = new ParkedEntry();
            e.origin = in.readUTF();
            e.qos = in.readByte();
            e.retainFlag = in.readBoolean();
            e.subscriptionIds = new int[in.readInt()];
            for (int i = 0; i < e.subscriptionIds.length; i++) {
                e.subscriptionIds[i] = in.readInt();
            }
            e.packetId = in.readInt();
            e.pubrelSent = in.readBoolean();
            e.at = in.readLong();
            e.size = in.readInt();
            e.message = new byte[in.readInt()];
            in.readFully(e.message);
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final int DISK_VERSION = 1;

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(at);
        out.writeString(origin);
        out.writeByte(qos);
        out.writeBoolean(retainFlag);
        out.writeIntArray(subscriptionIds);
        out.writeInt(packetId);
        out.writeBoolean(pubrelSent);
        out.writeInt(size);
        out.writeByteArray(message);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        at = in.readLong();
        origin = in.readString();
        qos = in.readByte();
        retainFlag = in.readBoolean();
        subscriptionIds = in.readIntArray();
        packetId = in.readInt();
        pubrelSent = in.readBoolean();
        size = in.readInt();
        message = in.readByteArray();
    }

    @Override
    public int getFactoryId() {
        return ParkedQueue.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ParkedQueue.ENTRY;
    }
}
