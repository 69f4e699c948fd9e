package io.courtier.broker.persistence.codec;

/** {@link QueueEntry} values: version, message id, QoS, RETAIN flag, packet id, PUBREL-sent flag. */
public final class EntryCodec {
    static final int VERSION = 1;

    private EntryCodec() {
    }

    public static byte[] encode(QueueEntry e) {
        return new RecordWriter(14).u8(VERSION).i64(e.messageId()).u8(e.qos()).bool(e.retainFlag())
                .u16(e.packetId()).bool(e.pubrelSent()).toBytes();
    }

    public static QueueEntry decode(byte[] value) {
        RecordReader r = new RecordReader(value);
        Versions.check(r, VERSION, "queue entry");
        QueueEntry e = new QueueEntry(r.i64(), r.u8(), r.bool(), r.u16(), r.bool());
        r.end();
        if (e.qos() > 2) {
            throw new CorruptRecordException("queue entry with QoS " + e.qos());
        }
        return e;
    }
}
