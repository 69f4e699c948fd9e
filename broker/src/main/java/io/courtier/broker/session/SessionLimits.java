package io.courtier.broker.session;

import io.courtier.broker.config.BrokerConfig;

/**
 * The per-session limits Mosquitto configures, and Courtier's bound on the queues of all sessions
 * together ({@code max_queued_bytes_total}); 0 means unlimited as in Mosquitto.
 */
public record SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                            boolean queueQos0Messages, long maxInflightBytes, long maxQueuedBytesTotal) {

    /** Limits without a byte budget for messages in flight. */
    public SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                         boolean queueQos0Messages) {
        this(maxInflightMessages, maxQueuedMessages, maxQueuedBytes, queueQos0Messages, 0, 0);
    }

    public static SessionLimits of(BrokerConfig config) {
        return new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(), config.maxQueuedBytes(),
                config.queueQos0Messages(), config.maxInflightBytes(), config.maxQueuedBytesTotal());
    }
}
