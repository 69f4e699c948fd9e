package io.courtier.broker.cluster;

import io.courtier.broker.model.Subscriber;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What every node knows of a persistent session (the value of the {@value ParkedSessions#HEADERS}
 * map, which every node listens to): its subscriptions, so that each node routes what matches
 * them to the session's queue while it is parked, and when it expires. The queue itself is
 * elsewhere ({@link ParkedQueue}), so that an append does not send the session to every node.
 * A session whose client is connected has a header too, naming its node ({@code onlineAt}): nobody
 * routes to it, but if that node dies, the header's owner parks it, so that its client resumes its
 * subscriptions elsewhere.
 *
 * @param expiryInterval seconds the session outlives its client ({@code Session.NEVER}: for ever)
 * @param parkedAt       when its client went offline, in milliseconds since the epoch
 * @param onlineAt       the node its client is connected to, null once it is parked
 */
record ParkedHeader(long expiryInterval, long parkedAt, List<Subscriber> subscriptions, String onlineAt,
                    boolean taking) {

    private static final int VERSION = 1;

    /** Its client is connected at {@link #onlineAt}, which delivers to it (nobody else routes to it). */
    boolean online() {
        return onlineAt != null && !taking;
    }

    /**
     * Every node routes to its parked queue: it is parked, or being taken by {@link #onlineAt},
     * which collects what comes meanwhile, until the new node's routes have reached the others.
     */
    boolean routed() {
        return !online();
    }

    /** The same session, parked now. */
    byte[] parkedNow(long now) {
        return encode(expiryInterval, now, subscriptions, null);
    }

    /** The same session, being taken by {@code node}. */
    byte[] takenBy(String node) {
        return encode(expiryInterval, parkedAt, subscriptions, node, true);
    }

    static byte[] encode(long expiryInterval, long parkedAt, Collection<Subscriber> subscriptions,
                         String onlineAt) {
        return encode(expiryInterval, parkedAt, subscriptions, onlineAt, false);
    }

    boolean expired(long now, long never) {
        return onlineAt == null && expiryInterval != never && now - parkedAt > expiryInterval * 1000;
    }

    static byte[] encode(long expiryInterval, long parkedAt, Collection<Subscriber> subscriptions,
                         String onlineAt, boolean taking) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(expiryInterval);
            out.writeLong(parkedAt);
            out.writeBoolean(onlineAt != null);
            if (onlineAt != null) {
                out.writeUTF(onlineAt);
                out.writeBoolean(taking);
            }
            out.writeInt(subscriptions.size());
            for (Subscriber s : subscriptions) {
                out.writeBoolean(s.shareGroup() != null);
                if (s.shareGroup() != null) {
                    out.writeUTF(s.shareGroup());
                }
                out.writeUTF(s.filter());
                out.writeByte(s.qos());
                out.writeBoolean(s.noLocal());
                out.writeBoolean(s.retainAsPublished());
                out.writeByte(s.retainHandling());
                out.writeInt(s.subscriptionId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The header, its subscriptions under {@code clientId} (the client's, or its parked target's). */
    static ParkedHeader decode(byte[] value, String clientId) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("parked session of an unknown version " + value[0]);
            }
            long expiry = in.readLong();
            long parkedAt = in.readLong();
            String onlineAt = in.readBoolean() ? in.readUTF() : null;
            boolean taking = onlineAt != null && in.readBoolean();
            int n = in.readInt();
            List<Subscriber> subs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String group = in.readBoolean() ? in.readUTF() : null;
                String filter = in.readUTF();
                subs.add(new Subscriber(clientId, group, filter, in.readByte(), in.readBoolean(), in.readBoolean(),
                        in.readByte(), in.readInt()));
            }
            return new ParkedHeader(expiry, parkedAt, subs, onlineAt, taking);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
