package io.courtier.broker.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a node tells the node a parked session moved to, on their message link ({@link PeerLinks}),
 * in order with the messages it forwards there: a message for the session that its parked queue
 * refused (the queue was closed by the take) or that this node routed to the session after it
 * heard of the take, and, once nothing it routed can still go to the parked copy, that it let the
 * session go. The first byte tells these frames from a {@link Forwarded} message.
 */
final class HandoverFrames {

    /** A message for the session, as its parked queue would have held it. */
    static final byte REDIRECT = 3;
    /** The sending node routes nothing more to the session's parked copy. */
    static final byte RELEASED = 4;

    /**
     * One frame: {@code entry} is null for {@link #RELEASED}, whose {@code parkedAt} names the take
     * it answers (the parked header's time: each parking of a session has its own).
     */
    record Frame(byte kind, String from, String clientId, ParkedEntry entry, long parkedAt) {
    }

    private HandoverFrames() {
    }

    static boolean isHandover(byte[] frame) {
        return frame.length > 0 && (frame[0] == REDIRECT || frame[0] == RELEASED);
    }

    static byte[] redirect(String from, String clientId, ParkedEntry e) {
        return encode(REDIRECT, from, clientId, e, 0);
    }

    static byte[] released(String from, String clientId, long parkedAt) {
        return encode(RELEASED, from, clientId, null, parkedAt);
    }

    private static byte[] encode(byte kind, String from, String clientId, ParkedEntry e, long parkedAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(e == null ? 64 : 96 + e.message.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            out.writeUTF(from);
            out.writeUTF(clientId);
            if (e == null) {
                out.writeLong(parkedAt);
            } else {
                out.writeUTF(e.origin);
                out.writeByte(e.qos);
                out.writeBoolean(e.retainFlag);
                out.writeInt(e.subscriptionIds.length);
                for (int id : e.subscriptionIds) {
                    out.writeInt(id);
                }
                out.writeInt(e.size);
                out.writeInt(e.message.length);
                out.write(e.message);
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    static Frame decode(byte[] frame) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame))) {
            byte kind = in.readByte();
            String from = in.readUTF();
            String clientId = in.readUTF();
            if (kind == RELEASED) {
                return new Frame(kind, from, clientId, null, in.readLong());
            }
            ParkedEntry e = new ParkedEntry();
            e.origin = in.readUTF();
            e.qos = in.readByte();
            e.retainFlag = in.readBoolean();
            e.subscriptionIds = new int[in.readInt()];
            for (int i = 0; i < e.subscriptionIds.length; i++) {
                e.subscriptionIds[i] = in.readInt();
            }
            e.size = in.readInt();
            e.message = new byte[in.readInt()];
            in.readFully(e.message);
            return new Frame(kind, from, clientId, e, 0);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
