package io.courtier.broker.session;

import io.courtier.broker.config.BrokerConfig;

/** The per-session limits Mosquitto configures; 0 means unlimited as in Mosquitto. */
public record SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                            boolean queueQos0Messages) {

    public static SessionLimits of(BrokerConfig config) {
        return new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(), config.maxQueuedBytes(),
                config.queueQos0Messages());
    }
}
