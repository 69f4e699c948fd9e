package io.courtier.broker.persistence.codec;

import java.nio.charset.StandardCharsets;

/**
 * Key layouts. Numbers are big-endian so RocksDB's byte order is numeric order: a session's
 * queue entries sort by sequence, which is the order they were accepted in.
 * <ul>
 * <li>messages, refs: message id (8)</li>
 * <li>entries: session store id (8) + entry sequence (8)</li>
 * <li>inbound: session store id (8) + packet id (2)</li>
 * <li>subscriptions: session store id (8) + subscription key (UTF-8, "$share/g/f" or "f")</li>
 * <li>sessions: client id (UTF-8); retained: topic (UTF-8)</li>
 * <li>a cluster node's share of parked sessions: in the default family beside the format marker,
 * behind the byte {@value #PARKED} (which no marker key starts with); the rest is the cluster room's</li>
 * </ul>
 * Sessions are keyed by a store id, not their client id, so that records a replaced session
 * left behind can never be mistaken for its successor's.
 */
public final class Keys {
    private Keys() {
    }

    /** The first byte of a parked-session record's key in the default family. */
    static final byte PARKED = 1;

    public static byte[] parked(byte[] key) {
        byte[] k = new byte[key.length + 1];
        k[0] = PARKED;
        System.arraycopy(key, 0, k, 1, key.length);
        return k;
    }

    public static boolean isParked(byte[] key) {
        return key.length > 0 && key[0] == PARKED;
    }

    public static byte[] id(long id) {
        return new RecordWriter(8).i64(id).toBytes();
    }

    public static long id(byte[] key) {
        return readLong(key, 0);
    }

    public static byte[] entry(long storeId, long seq) {
        return new RecordWriter(16).i64(storeId).i64(seq).toBytes();
    }

    public static long entrySeq(byte[] key) {
        return readLong(key, 8);
    }

    /** The first 8 bytes of an entry, inbound or subscription key. */
    public static long owner(byte[] key) {
        return readLong(key, 0);
    }

    /** The first key after every key of a session (for range deletes and scans). */
    public static byte[] ownerEnd(long storeId) {
        return id(storeId + 1);
    }

    public static byte[] inbound(long storeId, int packetId) {
        return new RecordWriter(10).i64(storeId).u16(packetId).toBytes();
    }

    public static int inboundPacketId(byte[] key) {
        return ((key[8] & 0xFF) << 8) | (key[9] & 0xFF);
    }

    public static byte[] subscription(long storeId, String subscriptionKey) {
        byte[] s = subscriptionKey.getBytes(StandardCharsets.UTF_8);
        return new RecordWriter(8 + s.length).i64(storeId).raw(s, 0, s.length).toBytes();
    }

    public static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    private static long readLong(byte[] key, int off) {
        if (key.length < off + 8) {
            throw new CorruptRecordException("key of " + key.length + " bytes too short");
        }
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            v = (v << 8) | (key[i] & 0xFF);
        }
        return v;
    }
}
