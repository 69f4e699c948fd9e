package io.courtier.broker.persistence.codec;

import io.courtier.codec.Will;

/** {@link SessionRecord} values; the will is written after a presence flag. */
public final class SessionCodec {
    static final int VERSION = 1;

    private SessionCodec() {
    }

    public static byte[] encode(SessionRecord s) {
        RecordWriter w = new RecordWriter(64).u8(VERSION).i64(s.storeId()).i64(s.expiryInterval())
                .bool(s.connected()).i64(s.disconnectedAtMillis());
        Will will = s.will();
        w.bool(will != null);
        if (will != null) {
            w.string(will.topic()).bytes(will.payload()).u8(will.qos()).bool(will.retain());
            PropertiesCodec.write(w, will.properties());
        }
        return w.toBytes();
    }

    public static SessionRecord decode(byte[] value) {
        RecordReader r = new RecordReader(value);
        Versions.check(r, VERSION, "session");
        long storeId = r.i64();
        long expiry = r.i64();
        boolean connected = r.bool();
        long disconnectedAt = r.i64();
        Will will = null;
        if (r.bool()) {
            String topic = r.string();
            byte[] payload = r.bytes();
            int qos = r.u8();
            boolean retain = r.bool();
            if (topic == null || qos > 2) {
                throw new CorruptRecordException("bad will in session record");
            }
            will = new Will(topic, payload, qos, retain, PropertiesCodec.read(r));
        }
        r.end();
        return new SessionRecord(storeId, expiry, connected, disconnectedAt, will);
    }
}
