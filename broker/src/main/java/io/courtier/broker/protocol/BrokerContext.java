package io.courtier.broker.protocol;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.persistence.Store;
import io.courtier.broker.routing.RetainedMessage;
import io.courtier.broker.routing.RetainedStore;
import io.courtier.broker.routing.Router;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.security.ListenerSecurity;
import io.courtier.broker.security.SecurityRules;
import io.courtier.broker.session.Message;
import io.courtier.broker.session.SessionLimits;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Properties;

/**
 * The broker's rooms as the protocol handlers see them. Built once by {@code Broker}; shared by
 * every connection.
 */
public final class BrokerContext {

    final BrokerConfig config;
    final BrokerStats stats;
    final SessionRegistry sessions;
    final TopicTree tree;
    final RetainedStore retained;
    final Router router;
    final Store store;
    final SessionLimits limits;
    final long connectTimeoutMillis;
    final SecurityRules security;

    public BrokerContext(BrokerConfig config, BrokerStats stats, SessionRegistry sessions, TopicTree tree,
                         RetainedStore retained, Router router, Store store, SecurityRules security,
                         long connectTimeoutMillis) {
        this.config = config;
        this.stats = stats;
        this.sessions = sessions;
        this.tree = tree;
        this.retained = retained;
        this.router = router;
        this.store = store;
        this.security = security;
        this.limits = SessionLimits.of(config);
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** A listener's authentication and ACL; a reload (SIGHUP) updates them in place. */
    ListenerSecurity security(ListenerConfig listener) {
        return security.forListener(listener);
    }

    /**
     * Accepts a message into the broker: updates the retained store if it carries RETAIN, then
     * routes it. Used for client PUBLISHes, wills and $SYS alike.
     */
    public void publish(Message message) {
        if (message.retain()) {
            byte[] payload = new byte[message.payloadSize()];
            message.payload().getBytes(message.payload().readerIndex(), payload);
            if (config.retainAvailable()) {
                retained.put(new RetainedMessage(message.topic(), payload, message.qos(), message.properties(),
                        System.currentTimeMillis(), 0));
            }
        }
        router.route(message);
    }

    /** A broker-originated message ($SYS): QoS 0, retained. */
    public void publishSys(String topic, String value) {
        Message m = new Message(topic, 0, true, Properties.NONE,
                io.netty.buffer.Unpooled.copiedBuffer(value, java.nio.charset.StandardCharsets.UTF_8), null);
        try {
            publish(m);
        } finally {
            m.release();
        }
    }
}
