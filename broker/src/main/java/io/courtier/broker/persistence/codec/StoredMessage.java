package io.courtier.broker.persistence.codec;

import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.netty.buffer.Unpooled;

/** A message as read back from the store; {@code expiresAtMillis} 0 when it never expires (MQTT 5). */
public record StoredMessage(String topic, int qos, boolean retain, Properties properties, byte[] payload,
                            String publisherId, long expiresAtMillis) {

    /** A broker message sharing this payload (no copy). */
    public Message toMessage() {
        return new Message(topic, qos, retain, properties, Unpooled.wrappedBuffer(payload), publisherId,
                expiresAtMillis);
    }
}
