package io.courtier.broker.persistence.codec;

import io.courtier.broker.model.Message;
import io.netty.buffer.ByteBuf;

/** A message stored once, however many sessions' queues refer to it. */
public final class MessageCodec {
    static final int VERSION = 1;

    private MessageCodec() {
    }

    /** Encodes without touching the payload's indexes (other threads may be reading it). */
    public static byte[] encode(Message m) {
        ByteBuf payload = m.payload();
        RecordWriter w = new RecordWriter(32 + m.topic().length() + payload.readableBytes());
        w.u8(VERSION).string(m.topic()).u8(m.qos()).bool(m.retain()).string(m.publisherId()).i64(m.expiresAtMillis());
        PropertiesCodec.write(w, m.properties());
        return w.bytes(payload).toBytes();
    }

    public static StoredMessage decode(byte[] value) {
        RecordReader r = new RecordReader(value);
        Versions.check(r, VERSION, "message");
        String topic = r.string();
        int qos = r.u8();
        boolean retain = r.bool();
        String publisher = r.string();
        long expiresAt = r.i64();
        var properties = PropertiesCodec.read(r);
        byte[] payload = r.bytes();
        r.end();
        if (topic == null || qos > 2) {
            throw new CorruptRecordException("bad message record");
        }
        return new StoredMessage(topic, qos, retain, properties, payload, publisher, expiresAt);
    }
}
