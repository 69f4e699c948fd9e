package io.courtier.broker.cluster;

import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.persistence.codec.StoredMessage;
import io.courtier.broker.model.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message on its way from the node that accepted it to a peer: the sending node (whose window
 * of unacknowledged messages it counts in), the shared subscription it was chosen for (if any),
 * then the message in the store's own record format (topic, QoS, retain,
 * publisher, expiry deadline, MQTT 5 properties, payload), so both ends agree on one encoding.
 *
 * @param from        the sending node's name
 * @param shareGroup  null for the peer's ordinary subscribers
 * @param shareFilter the shared subscription's filter, with {@code shareGroup}
 * @param origin      the message's cluster-wide id ({@link Origins}): a session the receiving node
 *                    parked a moment ago may get it from the sender too, and keeps it once
 */
record Forwarded(String from, String shareGroup, String shareFilter, String origin, StoredMessage message) {

    private static final byte VERSION = 2;

    static byte[] encode(String from, Message m, String shareGroup, String shareFilter) {
        byte[] sender = bytes(from);
        byte[] group = bytes(shareGroup);
        byte[] filter = bytes(shareFilter);
        byte[] origin = bytes(Origins.of(from, m));
        byte[] body = MessageCodec.encode(m);
        ByteBuffer b = ByteBuffer.allocate(1 + 16 + len(sender) + len(group) + len(filter) + len(origin)
                + body.length);
        b.put(VERSION);
        put(b, sender);
        put(b, group);
        put(b, filter);
        put(b, origin);
        b.put(body);
        return b.array();
    }

    static Forwarded decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.get() != VERSION) {
            throw new IllegalArgumentException("forwarded message of an unknown version " + bytes[0]);
        }
        String from = string(b);
        String group = string(b);
        String filter = string(b);
        String origin = string(b);
        byte[] body = new byte[b.remaining()];
        b.get(body);
        return new Forwarded(from, group, filter, origin, MessageCodec.decode(body));
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int len(byte[] a) {
        return a == null ? 0 : a.length;
    }

    private static void put(ByteBuffer b, byte[] a) {
        b.putInt(a == null ? -1 : a.length);
        if (a != null) {
            b.put(a);
        }
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) {
            return null;
        }
        byte[] a = new byte[n];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
