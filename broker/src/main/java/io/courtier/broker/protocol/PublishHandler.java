package io.courtier.broker.protocol;

import io.courtier.broker.session.Message;
import io.courtier.codec.Puback;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;

/**
 * PUBLISH from a client (MQTT 3.1.1 section 3.3). QoS 1 and 2 messages go to the store first
 * and are acknowledged, then routed, once it has them (DESIGN.md, "The walk of a PUBLISH").
 * A QoS 2 packet id is held until PUBREL, so a resent PUBLISH is not routed twice [MQTT-4.3.3-2].
 */
final class PublishHandler {
    private PublishHandler() {
    }

    static void handle(MqttConnection c, Publish p) {
        BrokerContext broker = c.broker;
        broker.stats.publishReceived.increment();
        broker.stats.publishBytesReceived.add(p.payload().readableBytes());
        if (p.qos() > broker.config.maxQos()) {
            c.violation("PUBLISH at QoS " + p.qos() + " above max_qos " + broker.config.maxQos(),
                    ReasonCode.QOS_NOT_SUPPORTED);
            return;
        }
        if (p.retained() && !broker.config.retainAvailable()) {
            c.violation("retained PUBLISH while retain_available is false", ReasonCode.RETAIN_NOT_SUPPORTED);
            return;
        }
        if (p.properties().contains(PropertyId.TOPIC_ALIAS)) {
            // We announce no topic alias maximum, so the client may not use one [MQTT-3.3.2-9].
            c.violation("topic alias used but none allowed", ReasonCode.TOPIC_ALIAS_INVALID);
            return;
        }
        boolean accepted = accepts(c, p);
        if (accepted && !c.authorizer().canPublish(c.clientId, c.username, p.topic())) {
            deniedByAcl(c, p);
            return;
        }
        switch (p.qos()) {
            case 0 -> {
                if (accepted) {
                    publish(c, p);
                }
            }
            case 1 -> storeThen(c, p, accepted, () -> c.send(new Puback(p.packetId())));
            default -> {
                if (!c.session.beginInboundQos2(p.packetId())) {
                    c.send(new Pubrec(p.packetId())); // a resend before PUBREL: acknowledge, do not route again
                    return;
                }
                storeThen(c, p, accepted, () -> c.send(new Pubrec(p.packetId())));
            }
        }
    }

    /**
     * Mosquitto acknowledges but drops what a client may not publish: $SYS topics, topics its
     * ACL denies, and payloads over message_size_limit.
     */
    private static boolean accepts(MqttConnection c, Publish p) {
        BrokerContext broker = c.broker;
        if (p.topic().startsWith("$SYS")) {
            return false;
        }
        int limit = broker.config.messageSizeLimit();
        if (limit > 0 && p.payload().readableBytes() > limit) {
            MqttConnection.LOG.info("Dropped too large PUBLISH from {} ({} bytes, message_size_limit {}).",
                    c.clientId, p.payload().readableBytes(), limit);
            broker.stats.publishDropped.increment();
            return false;
        }
        return true;
    }

    /**
     * A PUBLISH the ACL denies is dropped, as Debian's mosquitto 2.0.11 does: MQTT 3.1/3.1.1
     * clients get their PUBACK/PUBREC as if it were delivered; MQTT 5 clients get reason code
     * 0x87 "not authorized"; a PUBREC of 0x80 or more ends a QoS 2 exchange (MQTT 5.0 section 4.3.3).
     */
    private static void deniedByAcl(MqttConnection c, Publish p) {
        MqttConnection.LOG.debug("Denied PUBLISH from {} (q{}, '{}')", c.clientId, p.qos(), p.topic());
        int code = c.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
        if (p.qos() == 1) {
            c.send(new Puback(p.packetId(), code, io.courtier.codec.Properties.NONE));
        } else if (p.qos() == 2) {
            if (code == ReasonCode.SUCCESS) {
                c.session.beginInboundQos2(p.packetId()); // the client will send PUBREL
            }
            c.send(new Pubrec(p.packetId(), code, io.courtier.codec.Properties.NONE));
        }
    }

    private static void storeThen(MqttConnection c, Publish p, boolean accepted, Runnable ack) {
        if (!accepted) {
            ack.run();
            return;
        }
        Message m = Message.of(p, c.clientId, c.ctx.alloc());
        c.broker.store.append(m, c.ctx.executor(), failure -> {
            try {
                if (failure != null) {
                    // Nothing is acknowledged that is not stored: the client will resend.
                    MqttConnection.LOG.warn("Could not store a message from {}: {}", c.clientId, failure.toString());
                    return;
                }
                ack.run();
                c.broker.publish(m);
            } finally {
                m.release();
            }
        });
    }

    private static void publish(MqttConnection c, Publish p) {
        Message m = Message.of(p, c.clientId, c.ctx.alloc());
        try {
            c.broker.publish(m);
        } finally {
            m.release();
        }
    }
}
