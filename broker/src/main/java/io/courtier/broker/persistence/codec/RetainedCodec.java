package io.courtier.broker.persistence.codec;

import io.courtier.broker.routing.RetainedMessage;

/** Retained messages, keyed by topic; the value repeats the topic so a record stands alone. */
public final class RetainedCodec {
    static final int VERSION = 1;

    private RetainedCodec() {
    }

    public static byte[] encode(RetainedMessage m) {
        RecordWriter w = new RecordWriter(40 + m.topic().length() + m.payload().length).u8(VERSION)
                .string(m.topic()).u8(m.qos()).i64(m.storedAtMillis()).i64(m.expiresAtMillis());
        PropertiesCodec.write(w, m.properties());
        return w.bytes(m.payload()).toBytes();
    }

    public static RetainedMessage decode(byte[] value) {
        RecordReader r = new RecordReader(value);
        Versions.check(r, VERSION, "retained message");
        String topic = r.string();
        int qos = r.u8();
        long storedAt = r.i64();
        long expiresAt = r.i64();
        var properties = PropertiesCodec.read(r);
        byte[] payload = r.bytes();
        r.end();
        if (topic == null || qos > 2) {
            throw new CorruptRecordException("bad retained record");
        }
        return new RetainedMessage(topic, payload, qos, properties, storedAt, expiresAt);
    }
}
