package io.courtier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.courtier.broker.ingest.Ingest;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * {@code log_dest topic}: publishes each log line (without timestamp) on
 * {@code $SYS/broker/log/<E|W|N|I|M>} as Mosquitto does, once the broker is running. Debug lines
 * are never published; subscribe/unsubscribe lines go to {@code $SYS/broker/log/M/subscribe} and
 * {@code .../M/unsubscribe}. Lines logged before the broker starts are not published.
 * Messages are QoS 0 and not retained.
 */
final class TopicAppender extends AppenderBase<ILoggingEvent> {

    /** A publish that itself logs must not publish again. */
    private static final ThreadLocal<Boolean> PUBLISHING = ThreadLocal.withInitial(() -> false);

    private volatile Ingest broker;

    void attach(Ingest value) {
        broker = value;
    }

    @Override
    protected void append(ILoggingEvent event) {
        Ingest b = broker;
        if (b == null || event.getLevel().toInt() < Level.INFO_INT || PUBLISHING.get()) {
            return;
        }
        PUBLISHING.set(true);
        try {
            byte[] text = event.getFormattedMessage().getBytes(StandardCharsets.UTF_8);
            Message m = new Message(topic(event), 0, false, Properties.NONE, Unpooled.wrappedBuffer(text), null);
            try {
                b.publish(m, Congestion.IGNORED);
            } finally {
                m.release();
            }
        } finally {
            PUBLISHING.set(false);
        }
    }

    static String topic(ILoggingEvent event) {
        String t = LogTypes.typesOf(event)[0];
        return switch (t) {
            case "error" -> "$SYS/broker/log/E";
            case "warning" -> "$SYS/broker/log/W";
            case "subscribe", "unsubscribe" -> "$SYS/broker/log/M/" + t;
            case "notice" -> "$SYS/broker/log/N";
            default -> "$SYS/broker/log/I";
        };
    }
}
