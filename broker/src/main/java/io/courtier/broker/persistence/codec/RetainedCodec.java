package io.courtier.broker.persistence.codec;

import io.courtier.broker.model.RetainedMessage;

/**
 * Retained messages, keyed by topic; the value repeats the topic so a record stands alone.
 * Format 2 adds who published it (check_retain_source); format 1 records read as of unknown source.
 */
public final class RetainedCodec {
    static final int VERSION = 2;
    private static final int VERSION_WITHOUT_SOURCE = 1;

    private RetainedCodec() {
    }

    public static byte[] encode(RetainedMessage m) {
        RecordWriter w = new RecordWriter(40 + m.topic().length() + m.payload().length).u8(VERSION)
                .string(m.topic()).u8(m.qos()).i64(m.storedAtMillis()).i64(m.expiresAtMillis())
                .string(m.sourceClientId()).string(m.sourceUsername());
        PropertiesCodec.write(w, m.properties());
        return w.bytes(m.payload()).toBytes();
    }

    public static RetainedMessage decode(byte[] value) {
        RecordReader r = new RecordReader(value);
        int version = r.u8();
        if (version != VERSION && version != VERSION_WITHOUT_SOURCE) {
            throw new CorruptRecordException("retained message record of format " + version + ", expected " + VERSION);
        }
        String topic = r.string();
        int qos = r.u8();
        long storedAt = r.i64();
        long expiresAt = r.i64();
        String sourceClientId = version == VERSION ? r.string() : null;
        String sourceUsername = version == VERSION ? r.string() : null;
        var properties = PropertiesCodec.read(r);
        byte[] payload = r.bytes();
        r.end();
        if (topic == null || qos > 2) {
            throw new CorruptRecordException("bad retained record");
        }
        return new RetainedMessage(topic, payload, qos, properties, storedAt, expiresAt, sourceClientId,
                sourceUsername);
    }
}
