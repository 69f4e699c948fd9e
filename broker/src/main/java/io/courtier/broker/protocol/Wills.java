package io.courtier.broker.protocol;

import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Will;
import io.netty.buffer.Unpooled;

/** What a will becomes when it is published, for a connection that ended and for one found gone at restart. */
public final class Wills {
    private Wills() {
    }

    /** The MQTT 5 Will Delay Interval in seconds, 0 when absent [MQTT-3.1.3-9]. */
    public static long delaySeconds(Will w) {
        Long d = w.properties().fourByte(PropertyId.WILL_DELAY_INTERVAL);
        return d == null ? 0 : d;
    }

    /**
     * The will as a message from {@code clientId}, at most at {@code maxQos}. Its properties
     * become the message's, except the delay, which is not a PUBLISH property. The caller releases it.
     */
    public static Message message(Will w, String clientId, int maxQos) {
        Properties props = w.properties().contains(PropertyId.WILL_DELAY_INTERVAL)
                ? w.properties().toBuilder().remove(PropertyId.WILL_DELAY_INTERVAL).build()
                : w.properties();
        return new Message(w.topic(), Math.min(w.qos(), maxQos), w.retain(), props,
                Unpooled.wrappedBuffer(w.payload()), clientId);
    }
}
