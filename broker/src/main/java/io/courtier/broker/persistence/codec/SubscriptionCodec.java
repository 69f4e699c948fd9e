package io.courtier.broker.persistence.codec;

import io.courtier.broker.model.Subscriber;

/** A persistent session's subscription, without its client id (the session record has it). */
public final class SubscriptionCodec {
    static final int VERSION = 1;

    private SubscriptionCodec() {
    }

    public static byte[] encode(Subscriber s) {
        return new RecordWriter(32 + s.filter().length()).u8(VERSION).string(s.shareGroup()).string(s.filter())
                .u8(s.qos()).bool(s.noLocal()).bool(s.retainAsPublished()).u8(s.retainHandling())
                .i32(s.subscriptionId()).toBytes();
    }

    public static Subscriber decode(String clientId, byte[] value) {
        RecordReader r = new RecordReader(value);
        Versions.check(r, VERSION, "subscription");
        String group = r.string();
        String filter = r.string();
        Subscriber s = new Subscriber(clientId, group, filter, r.u8(), r.bool(), r.bool(), r.u8(), r.i32());
        r.end();
        if (filter == null || s.qos() > 2) {
            throw new CorruptRecordException("bad subscription record");
        }
        return s;
    }
}
