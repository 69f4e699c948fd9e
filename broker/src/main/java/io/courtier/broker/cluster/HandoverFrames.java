package io.courtier.broker.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What nodes tell each other about a parked session moving to one of them, on their message links
 * ({@link PeerLinks}), in order with the messages they forward: the taking node, that it has the
 * session (its subscriptions are in its tree); each other node, a message for the session that its
 * parked queue refused (the queue was closed by the take) or that it routed to the parked copy
 * after it heard of the take, and, once nothing it routed can still go to the parked copy, that it
 * let the session go. The first byte tells these frames from a {@link Forwarded} message.
 */
final class HandoverFrames {

    /** A message for the session, as its parked queue would have held it. */
    static final byte REDIRECT = 3;
    /** The sending node routes nothing more to the session's parked copy. */
    static final byte RELEASED = 4;
    /** The sending node took the session and has its subscriptions in its tree: routes may go there now. */
    static final byte READY = 5;

    /**
     * One frame: {@code entry} only for {@link #REDIRECT}; {@code parkedAt} names the take a
     * {@link #RELEASED} or {@link #READY} is about (the parked header's time: each parking of a
     * session has its own).
     */
    record Frame(byte kind, String from, String clientId, ParkedEntry entry, long parkedAt) {
    }

    private HandoverFrames() {
    }

    static boolean isHandover(byte[] frame) {
        return frame.length > 0 && (frame[0] == REDIRECT || frame[0] == RELEASED || frame[0] == READY);
    }

    static byte[] redirect(String from, String clientId, ParkedEntry e) {
        return encode(REDIRECT, from, clientId, e, 0);
    }

    static byte[] released(String from, String clientId, long parkedAt) {
        return encode(RELEASED, from, clientId, null, parkedAt);
    }

    static byte[] ready(String from, String clientId, long parkedAt) {
        return encode(READY, from, clientId, null, parkedAt);
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
            if (kind != REDIRECT) {
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
