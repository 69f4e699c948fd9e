package io.courtier.broker.session;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.Tunables;

/**
 * The per-session limits Mosquitto configures, and Courtier's bound on the queues of all sessions
 * together ({@code max_queued_bytes_total}); 0 means unlimited as in Mosquitto.
 */
public record SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                            boolean queueQos0Messages, long maxInflightBytes, long maxQueuedBytesTotal,
                            Tunables tunables) {

    /** Limits without a byte budget for messages in flight. */
    public SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                         boolean queueQos0Messages) {
        this(maxInflightMessages, maxQueuedMessages, maxQueuedBytes, queueQos0Messages, 0, 0, Tunables.DEFAULTS);
    }

    public static SessionLimits of(BrokerConfig config, Tunables tunables) {
        return new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(), config.maxQueuedBytes(),
                config.queueQos0Messages(), config.maxInflightBytes(), config.maxQueuedBytesTotal(), tunables);
    }
}
