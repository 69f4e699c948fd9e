package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import io.courtier.broker.config.BridgeTopic;
import io.courtier.broker.ingest.Ingest;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.TopicMatcher;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.client.MqttClient;
import io.courtier.client.PublishFlow;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Puback;
import io.courtier.codec.Pubcomp;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.Pubrel;
import io.courtier.codec.ReasonCode;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's QoS exchanges with the remote broker, in both directions, all on the session's
 * loop. Acknowledgements of what the bridge sent go to the local session, which owns those packet
 * ids. A message from the remote broker (an in/both topic: remote prefix off, local prefix on) is
 * accepted into this broker as if the bridge's local client had published it, so no-local keeps
 * it from going back out; QoS 1 is acknowledged (PUBACK) and QoS 2 received (PUBREC) only once the
 * broker holds it, stored when persistence is on. The inbound QoS 2 ids are the local session's,
 * stored with the message, so a resend after a crash is recognised and not routed twice.
 */
final class RemoteFlow implements PublishFlow {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final BridgeConfig config;
    private final BrokerContext broker;
    private final Session session;
    private final MqttClient client;
    private final BridgeCounters counters;

    RemoteFlow(BridgeConfig config, BrokerContext broker, Session session, MqttClient client,
               BridgeCounters counters) {
        this.config = config;
        this.broker = broker;
        this.session = session;
        this.client = client;
        this.counters = counters;
    }

    @Override
    public void received(MqttPacket packet) {
        if (packet instanceof Publish p) {
            incoming(p);
        } else if (packet instanceof Puback a) {
            if (session.onPuback(a.packetId())) {
                counters.forwarded();
            }
        } else if (packet instanceof Pubrec r) {
            boolean known = r.reasonCode() >= ReasonCode.UNSPECIFIED_ERROR ? session.onPubrecFailure(r.packetId())
                    : session.onPubrec(r.packetId());
            if (!known) {
                // Not in flight (any more): answer so that the remote broker can finish its side.
                client.write(new Pubrel(r.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.NONE));
            }
        } else if (packet instanceof Pubcomp c) {
            if (session.onPubcomp(c.packetId())) {
                counters.forwarded();
            }
        } else if (packet instanceof Pubrel r) {
            session.endInboundQos2(r.packetId(), known -> client.write(new Pubcomp(r.packetId())));
        }
    }

    private void incoming(Publish p) {
        try {
            int qos = p.qos();
            int id = p.packetId();
            if (qos == 2 && session.holdsInboundQos2(id)) {
                client.write(new Pubrec(id)); // a resend of one the broker holds: not routed again
                return;
            }
            BridgeTopic topic = inTopic(p.topic());
            if (topic == null) {
                LOG.debug("Bridge {} dropped a message on {}: no in/both topic matches it.", config.name(), p.topic());
                acknowledge(qos, id);
                return;
            }
            Message m = Message.of(p, topic.toLocal(p.topic()), localProperties(p.properties()),
                    session.clientId(), ByteBufAllocator.DEFAULT);
            if (p.retained()) {
                m = m.publishedBy(config.localUsername());
            }
            counters.received();
            if (qos == 2) {
                session.beginInboundQos2(id);
            }
            try {
                // No back-pressure towards the remote broker (Congestion.IGNORED): what local
                // subscribers cannot take waits in their queues, within their limits.
                broker.ingest().publishDurably(m, session.storeId(), qos == 2 ? id : 0, session.loop(),
                        Congestion.IGNORED, new Ingest.Outcome() {
                            @Override
                            public void accepted(int delivered) {
                                acknowledge(qos, id);
                            }

                            @Override
                            public void notStored(Throwable failure) {
                                if (qos == 2) {
                                    session.endInboundQos2(id); // the remote broker's resend is routed
                                }
                            }
                        });
            } finally {
                m.release();
            }
        } finally {
            p.release();
        }
    }

    private void acknowledge(int qos, int id) {
        if (qos == 1) {
            client.write(new Puback(id));
        } else if (qos == 2) {
            client.write(new Pubrec(id));
        }
    }

    private BridgeTopic inTopic(String remoteTopic) {
        for (BridgeTopic t : config.topics()) {
            if (t.direction().incoming() && TopicMatcher.matches(t.remoteFilter(), remoteTopic)) {
                return t;
            }
        }
        return null;
    }

    /** The remote broker's subscription identifiers and topic alias mean nothing here. */
    private static Properties localProperties(Properties p) {
        if (!p.contains(PropertyId.SUBSCRIPTION_IDENTIFIER) && !p.contains(PropertyId.TOPIC_ALIAS)) {
            return p;
        }
        return p.toBuilder().remove(PropertyId.SUBSCRIPTION_IDENTIFIER).remove(PropertyId.TOPIC_ALIAS).build();
    }
}
