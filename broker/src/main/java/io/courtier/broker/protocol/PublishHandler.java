package io.courtier.broker.protocol;

import io.courtier.broker.ingest.Ingest;
import io.courtier.broker.model.Message;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Puback;
import io.courtier.codec.Publish;
import io.courtier.codec.Pubrec;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Utf8;
import io.courtier.plugin.Access;
import io.netty.util.ReferenceCountUtil;

/**
 * PUBLISH from a client (MQTT 3.1.1 section 3.3, MQTT 5.0 section 3.3). QoS 1 and 2 messages go
 * to the store first and are acknowledged, then routed, once it has them (DESIGN.md, "The walk
 * of a PUBLISH"). A QoS 2 packet id is held until PUBREL, so a resent PUBLISH is not routed
 * twice [MQTT-4.3.3-2]. MQTT 5 adds topic aliases, the Receive Maximum, the payload format check
 * and reason codes on PUBACK/PUBREC.
 */
final class PublishHandler {
    private PublishHandler() {
    }

    static void handle(MqttConnection c, Publish received) {
        BrokerContext broker = c.broker;
        broker.stats.publishReceived.increment();
        broker.stats.publishBytesReceived.add(received.payload().readableBytes());
        broker.stats.publishReceivedByQos[received.qos()].increment();
        if (received.qos() > c.maxQos()) {
            c.violation("PUBLISH at QoS " + received.qos() + " above max_qos " + c.maxQos()
                    + " [MQTT-3.2.2-11]", ReasonCode.QOS_NOT_SUPPORTED);
            return;
        }
        if (received.retained() && !broker.config.retainAvailable()) {
            c.violation("retained PUBLISH while retain_available is false [MQTT-3.2.2-14]",
                    ReasonCode.RETAIN_NOT_SUPPORTED);
            return;
        }
        Publish p = received;
        if (c.isV5()) {
            p = checkV5(c, received);
            if (p == null) {
                return;
            }
        }
        if (TopicDepth.exceeds(p.topic())) {
            c.violation(TopicDepth.rule("PUBLISH topic"), ReasonCode.PROTOCOL_ERROR);
            return;
        }
        if (c.mountPoint != null) {
            p = c.mountPoint.inbound(p); // before the ACL, which sees the mounted topic as Mosquitto's does
        }
        io.courtier.broker.security.Authorizer authorizer = c.authorizer();
        if (!authorizer.isAsync()) {
            proceed(c, p, null); // the file ACL answers on the loop, in accepts()
            return;
        }
        Boolean now = authorizer.decideNow(Access.WRITE, c.clientId, c.username, p.topic());
        if (now != null) {
            proceed(c, p, now);
            return;
        }
        // A backend must be asked: the packet waits, and the ones after it, off the loop.
        Publish waiting = p;
        ReferenceCountUtil.retain(received);
        c.reading.waitFor(authorizer.decide(Access.WRITE, c.clientId, c.username, p.topic()), allowed -> {
            try {
                if (c.state == MqttConnection.State.CONNECTED) {
                    proceed(c, waiting, Boolean.TRUE.equals(allowed));
                }
            } finally {
                ReferenceCountUtil.release(received);
            }
        });
    }

    /** {@code mayPublish}: the ACL's answer when it came from a backend, null to ask the file ACL now. */
    private static void proceed(MqttConnection c, Publish p, Boolean mayPublish) {
        int reason = accepts(c, p, mayPublish);
        if (reason == ReasonCode.SUCCESS && mayPublish != null) { // only a chain answers here
            observe(c, p);
        }
        switch (p.qos()) {
            case 0 -> {
                if (reason == ReasonCode.SUCCESS && !ControlHandler.handles(c, p)) {
                    publish(c, p);
                }
            }
            case 1 -> {
                if (!hasInboundRoom(c)) {
                    return;
                }
                c.v5.inboundQos1Pending++;
                int id = p.packetId();
                storeThen(c, p, reason, code -> {
                    c.v5.inboundQos1Pending--;
                    sendAck(c, new Puback(id, code, Properties.NONE), code);
                });
            }
            default -> {
                int id = p.packetId();
                if (c.session.holdsInboundQos2(id)) {
                    // A resend before PUBREL: acknowledge, do not route again. A client may resend
                    // once on this connection; a second resend of the same id is a Protocol Error,
                    // as Mosquitto reads it (its test 03-publish-qos2-dup).
                    if (!c.firstResendOfQos2(id)) {
                        c.violation("QoS 2 PUBLISH " + id + " sent a third time before PUBREL",
                                ReasonCode.PROTOCOL_ERROR);
                        return;
                    }
                    c.send(new Pubrec(id));
                    return;
                }
                if (!hasInboundRoom(c)) {
                    return;
                }
                if (reason >= ReasonCode.UNSPECIFIED_ERROR && c.isV5()) {
                    // A failing PUBREC ends the exchange: the id is not held for PUBREL [MQTT-4.3.3-12].
                    sendAck(c, new Pubrec(id, reason, Properties.NONE), reason);
                    return;
                }
                c.session.beginInboundQos2(id);
                storeThen(c, p, reason, code -> sendAck(c, new Pubrec(id, code, Properties.NONE), code));
            }
        }
    }

    /** Plugins that watch messages get each accepted one (a copy of its payload). */
    private static void observe(MqttConnection c, Publish p) {
        io.courtier.broker.security.chain.AuthChain chain = c.chain();
        if (chain != null && chain.observesMessages()) {
            byte[] payload = new byte[p.payload().readableBytes()];
            p.payload().getBytes(p.payload().readerIndex(), payload);
            chain.published(new io.courtier.plugin.ClientInfo(c.clientId, c.username, c.address()), p.topic(),
                    payload, p.qos(), p.retained());
        }
    }

    /** PUBACK/PUBREC with a reason string for failures when the client wants problem information. */
    private static void sendAck(MqttConnection c, io.courtier.codec.PublishAck plain, int code) {
        if (!c.isV5() || code < ReasonCode.UNSPECIFIED_ERROR) {
            c.send(plain);
            return;
        }
        Properties why = c.v5.reasonString(describe(code));
        if (why.isEmpty()) {
            c.send(plain);
            return;
        }
        c.out.sendAck(plain.withReason(code, why), plain);
    }

    private static String describe(int code) {
        return switch (code) {
            case ReasonCode.NOT_AUTHORIZED -> "not authorized to publish to this topic";
            case ReasonCode.QUOTA_EXCEEDED -> "payload larger than message_size_limit";
            case ReasonCode.PAYLOAD_FORMAT_INVALID -> "payload is not valid UTF-8 but its payload format indicator says so";
            default -> null;
        };
    }

    /**
     * Our Receive Maximum: a client may not have more QoS 1/2 PUBLISHes unacknowledged than we
     * announced; one more is "Receive Maximum exceeded" [MQTT-3.3.4-7] [MQTT-3.3.4-8].
     */
    private static boolean hasInboundRoom(MqttConnection c) {
        if (!c.isV5()) {
            return true;
        }
        int pending = c.v5.inboundQos1Pending + c.session.inboundQos2Count();
        if (pending >= c.broker.receiveMaximum()) {
            c.violation("more than Receive Maximum " + c.broker.receiveMaximum()
                    + " unacknowledged QoS 1/2 PUBLISHes [MQTT-3.3.4-8]", ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            return false;
        }
        return true;
    }

    /**
     * The MQTT 5 rules on a received PUBLISH: no subscription identifier from a client, topic alias
     * resolution, and the payload format indicator on QoS 0 (QoS 1/2 get a reason code instead).
     * Returns the PUBLISH to route (topic resolved, alias stripped), or null after disconnecting.
     */
    private static Publish checkV5(MqttConnection c, Publish p) {
        Properties props = p.properties();
        if (props.isEmpty()) {
            return p;
        }
        if (props.contains(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
            c.violation("PUBLISH from a client with a Subscription Identifier [MQTT-3.3.4-6]",
                    ReasonCode.PROTOCOL_ERROR);
            return null;
        }
        Integer alias = props.integer(PropertyId.TOPIC_ALIAS);
        if (alias != null) {
            if (alias > c.v5.inboundAliasMaximum) {
                c.violation("topic alias " + alias + " above the Topic Alias Maximum " + c.v5.inboundAliasMaximum
                        + " we announced [MQTT-3.3.2-9]", ReasonCode.TOPIC_ALIAS_INVALID);
                return null;
            }
            String topic = p.topic();
            if (topic.isEmpty()) {
                topic = c.v5.inboundAlias(alias);
                if (topic == null) {
                    // MQTT 5.0 3.3.2.3.4: an alias with no mapping and an empty topic is a Protocol Error.
                    c.violation("topic alias " + alias + " used before it was set", ReasonCode.PROTOCOL_ERROR);
                    return null;
                }
            } else {
                c.v5.setInboundAlias(alias, topic);
            }
            // The alias is this connection's business: it is not forwarded to subscribers.
            p = new Publish(topic, p.qos(), p.retained(), p.dup(), p.packetId(),
                    props.toBuilder().remove(PropertyId.TOPIC_ALIAS).build(), p.payload());
        }
        if (p.qos() == 0 && !payloadFormatValid(p)) {
            c.violation("payload is not UTF-8 though its payload format indicator is 1 [MQTT-3.3.2-4]",
                    ReasonCode.PAYLOAD_FORMAT_INVALID);
            return null;
        }
        return p;
    }

    private static boolean payloadFormatValid(Publish p) {
        Integer pfi = p.properties().integer(PropertyId.PAYLOAD_FORMAT_INDICATOR);
        return pfi == null || pfi == 0
                || Utf8.isValid(p.payload(), p.payload().readerIndex(), p.payload().readableBytes());
    }

    /**
     * Mosquitto acknowledges but drops what a client may not publish: $SYS topics (but for
     * {@code $SYS/broker/connection/...}, where bridges put their state notifications), topics its
     * ACL denies, and payloads over message_size_limit. MQTT 5 clients are told why in the
     * reason code; 3.1.1 clients cannot be.
     */
    private static int accepts(MqttConnection c, Publish p, Boolean mayPublish) {
        BrokerContext broker = c.broker;
        if (p.topic().startsWith("$SYS") && !p.topic().startsWith("$SYS/broker/connection/")) {
            return ReasonCode.NOT_AUTHORIZED;
        }
        int limit = broker.config.messageSizeLimit();
        if (limit > 0 && p.payload().readableBytes() > limit) {
            MqttConnection.LOG.info("Dropped too large PUBLISH from {} ({} bytes, message_size_limit {}).",
                    c.clientId, p.payload().readableBytes(), limit);
            broker.stats.publishDropped.increment();
            return ReasonCode.QUOTA_EXCEEDED;
        }
        if (mayPublish != null ? !mayPublish : !c.authorizer().canPublish(c.clientId, c.username, p.topic())) {
            // Dropped as Debian's mosquitto 2.0.11 does: 3.1/3.1.1 clients are acknowledged as if
            // it were delivered; MQTT 5 clients get 0x87, and a failing PUBREC ends a QoS 2
            // exchange (MQTT 5.0 section 4.3.3).
            MqttConnection.LOG.debug("Denied PUBLISH from {} (q{}, '{}')", c.clientId, p.qos(), p.topic());
            return ReasonCode.NOT_AUTHORIZED;
        }
        // QoS 0 was already checked in checkV5 (a violation there); scan a payload only once.
        if (c.isV5() && p.qos() > 0 && !payloadFormatValid(p)) {
            return ReasonCode.PAYLOAD_FORMAT_INVALID;
        }
        return ReasonCode.SUCCESS;
    }

    private static void storeThen(MqttConnection c, Publish p, int reason, java.util.function.IntConsumer ack) {
        if (reason != ReasonCode.SUCCESS) {
            ack.accept(c.isV5() ? reason : ReasonCode.SUCCESS);
            return;
        }
        if (ControlHandler.handles(c, p)) {
            ack.accept(ReasonCode.SUCCESS);
            return;
        }
        int inboundId = p.qos() == 2 ? p.packetId() : 0;
        Message m = message(c, p);
        try {
            c.broker.ingest.publishDurably(m, c.session.storeId(), inboundId, c.ctx.executor(), c.reading.congestion,
                    new Ingest.Outcome() {
                        @Override
                        public void accepted(int delivered) {
                            // "No matching subscribers" is a success code: the exchange completes as usual.
                            ack.accept(delivered == 0 && c.isV5() ? ReasonCode.NO_MATCHING_SUBSCRIBERS
                                    : ReasonCode.SUCCESS);
                        }

                        @Override
                        public void notStored(Throwable failure) {
                            // The store logs the failure once; the id is let go so that the resend is routed.
                            MqttConnection.LOG.debug("Could not store a message from {}: {}", c.clientId,
                                    failure.toString());
                            if (inboundId != 0) {
                                c.session.endInboundQos2(inboundId);
                            }
                            if (p.qos() == 1) {
                                c.v5.inboundQos1Pending--;
                            }
                        }
                    });
        } finally {
            m.release();
        }
    }

    /** The message to route; a retained one remembers its publisher's user name (check_retain_source). */
    private static Message message(MqttConnection c, Publish p) {
        Message m = Message.of(p, c.clientId, c.ctx.alloc());
        return p.retained() ? m.publishedBy(c.username) : m;
    }

    private static void publish(MqttConnection c, Publish p) {
        Message m = message(c, p);
        try {
            c.broker.ingest.publish(m, c.reading.congestion);
        } finally {
            m.release();
        }
    }
}
