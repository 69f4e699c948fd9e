package io.courtier.broker.persistence.codec;

import io.courtier.broker.model.QueueEntry;
/**
 * {@link QueueEntry} values: version, message id, QoS, RETAIN flag, packet id, PUBREL-sent flag,
 * then the subscription identifiers (a count and the values).
 */
public final class EntryCodec {
    static final int VERSION = 1;

    private EntryCodec() {
    }

    public static byte[] encode(QueueEntry e) {
        RecordWriter w = new RecordWriter(16 + 4 * e.subscriptionIds().length).u8(VERSION).i64(e.messageId())
                .u8(e.qos()).bool(e.retainFlag()).u16(e.packetId()).bool(e.pubrelSent())
                .u16(e.subscriptionIds().length);
        for (int id : e.subscriptionIds()) {
            w.i32(id);
        }
        return w.toBytes();
    }

    public static QueueEntry decode(byte[] value) {
        RecordReader r = new RecordReader(value);
        Versions.check(r, VERSION, "queue entry");
        long messageId = r.i64();
        int qos = r.u8();
        boolean retainFlag = r.bool();
        int packetId = r.u16();
        boolean pubrelSent = r.bool();
        int[] ids = new int[r.u16()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.i32();
        }
        QueueEntry e = new QueueEntry(messageId, qos, retainFlag, packetId, pubrelSent, ids);
        r.end();
        if (e.qos() > 2) {
            throw new CorruptRecordException("queue entry with QoS " + e.qos());
        }
        return e;
    }
}
