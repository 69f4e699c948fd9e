package io.courtier.broker.protocol;

import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Suback;
import io.courtier.codec.Subscribe;
import io.courtier.codec.Subscription;
import io.courtier.codec.Topics;
import io.courtier.plugin.Access;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE (MQTT 3.1.1 section 3.8): grants min(requested, max_qos) per filter or 0x80 when
 * the ACL denies it; a subscription to a filter the client already has replaces it
 * [MQTT-3.8.4-3]; retained messages follow the SUBACK with RETAIN set [MQTT-3.3.1-8].
 * MQTT 5: the Subscription Identifier is stored with each subscription and Retain
 * Handling picks whether retained messages are sent: 0 always, 1 only for a new subscription,
 * 2 never [MQTT-3.3.1-9] [MQTT-3.3.1-10] [MQTT-3.3.1-11]; never for a shared subscription.
 */
final class SubscribeHandler {
    /** {@code log_type subscribe} (the cli maps this logger's lines to that type; off by default). */
    private static final org.slf4j.Logger SUBSCRIBE_LOG = org.slf4j.LoggerFactory.getLogger("courtier.subscribe");

    private SubscribeHandler() {
    }

    static void handle(MqttConnection c, Subscribe packet) {
        for (Subscription sub : packet.subscriptions()) {
            if (TopicDepth.exceeds(sub.filter())) {
                // Mosquitto: "Invalid subscription string from ADDRESS, disconnecting." (malformed packet).
                c.violation(TopicDepth.rule("subscription filter"), ReasonCode.MALFORMED_PACKET);
                return;
            }
        }
        io.courtier.broker.security.Authorizer authorizer = c.authorizer();
        if (!authorizer.isAsync()) {
            subscribe(c, packet, null);
            return;
        }
        // A chain with backends: each filter's answer, from the cache or asked off the loop.
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(packet.subscriptions().size());
        boolean allKnown = true;
        for (Subscription sub : packet.subscriptions()) {
            String filter = mounted(c, sub);
            Boolean now = authorizer.decideNow(Access.SUBSCRIBE, c.clientId, c.username, filter);
            allKnown &= now != null;
            answers.add(now != null ? CompletableFuture.completedFuture(now)
                    : authorizer.decide(Access.SUBSCRIBE, c.clientId, c.username, filter));
        }
        if (allKnown) {
            subscribe(c, packet, answers.stream().map(CompletableFuture::join).toList());
            return;
        }
        ReferenceCountUtil.retain(packet);
        c.reading.waitFor(CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])), done -> {
            try {
                if (c.state == MqttConnection.State.CONNECTED) {
                    subscribe(c, packet, answers.stream().map(a -> Boolean.TRUE.equals(a.getNow(false))).toList());
                }
            } finally {
                ReferenceCountUtil.release(packet);
            }
        });
    }

    /** The filter as the broker and its ACL see it: under the listener's mount_point, if any. */
    private static String mounted(MqttConnection c, Subscription sub) {
        return c.mountPoint == null ? sub.filter() : c.mountPoint.filter(sub.filter());
    }

    /** {@code allowed}: the chain's answer per filter, or null to ask the file ACL now. */
    private static void subscribe(MqttConnection c, Subscribe packet, List<Boolean> allowed) {
        BrokerContext broker = c.broker;
        Session session = c.session;
        List<Integer> codes = new ArrayList<>(packet.subscriptions().size());
        List<Subscriber> wantRetained = new ArrayList<>();
        List<Integer> ids = packet.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        for (int i = 0; i < packet.subscriptions().size(); i++) {
            Subscription sub = packet.subscriptions().get(i);
            String filter = mounted(c, sub);
            if (allowed != null ? !allowed.get(i) : !c.authorizer().canSubscribe(c.clientId, c.username, filter)) {
                codes.add(c.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.V3_SUBACK_FAILURE);
                continue;
            }
            int granted = Math.min(sub.qos(), c.maxQos());
            String group = Topics.shareGroup(filter);
            if (overQuota(c, group, Topics.shareFilter(filter))) {
                codes.add(ReasonCode.V3_SUBACK_FAILURE); // 0x80 in both versions, see overQuota
                continue;
            }
            // A Mosquitto bridge (try_private) gets its own messages kept from it and retain flags
            // as published, as Mosquitto gives it: 3.1.1 has no subscription options to ask.
            boolean bridge = c.bridge && group == null;
            Subscriber s = new Subscriber(c.clientId, group, Topics.shareFilter(filter), granted,
                    sub.noLocal() || bridge, sub.retainAsPublished() || bridge, sub.retainHandling(), subscriptionId);
            Subscriber previous = broker.tree.subscribe(s);
            session.addSubscription(s);
            boolean sendRetained = sub.retainHandling() == 0 || (sub.retainHandling() == 1 && previous == null);
            if (group == null && sendRetained) {
                wantRetained.add(s);
            }
            codes.add(granted);
            // Mosquitto's log_type subscribe line: "client-id QOS filter".
            SUBSCRIBE_LOG.info("{} {} {}", c.clientId, granted, filter);
        }
        if (!session.cleanSession()) {
            broker.presence.online(session); // the cluster's copy, should this node die
        }
        // A persistent session's SUBACK waits until its subscriptions are on disk.
        session.whenStored(() -> {
            c.send(new Suback(packet.packetId(), codes, Properties.NONE));
            for (Subscriber s : wantRetained) {
                broker.retained.match(s.filter(), rm -> deliverRetained(c, session, rm, s));
            }
        });
    }

    /**
     * max_subscriptions_per_client: a new subscription past the limit is refused in its SUBACK with
     * 0x80 ("failure" in 3.1.1, "unspecified error" in MQTT 5); replacing one the client already has
     * is always allowed. MQTT 5 also allows 0x97 "quota exceeded" there, but Paho Java's v5 client
     * (1.2.5) rejects a SUBACK carrying it and drops the connection, so every client gets 0x80.
     */
    private static boolean overQuota(MqttConnection c, String group, String filter) {
        int max = c.broker.config.maxSubscriptionsPerClient();
        if (max <= 0 || c.session.subscriptionCount() < max || c.session.hasSubscription(group, filter)) {
            return false;
        }
        MqttConnection.LOG.info("Refused subscription {} of client {}: max_subscriptions_per_client {} reached.",
                filter, c.clientId, max);
        return true;
    }

    private static void deliverRetained(MqttConnection c, Session session, RetainedMessage rm, Subscriber s) {
        Boolean may = session.mayReadNow(rm.topic());
        if (may != null && !may) {
            return;
        }
        if (rm.expiresAtMillis() != 0 && System.currentTimeMillis() >= rm.expiresAtMillis()) {
            return; // an expired retained message is not sent (MQTT 5.0 3.3.2.3.3)
        }
        Boolean sourceMay = retainSourceMay(c, rm);
        if (sourceMay == null) {
            // check_retain_source has to ask a backend: the message follows its answer, on the session's loop.
            c.authorizer().decide(Access.WRITE, rm.sourceClientId(), rm.sourceUsername(), rm.topic())
                    .thenAccept(ok -> {
                        if (ok) {
                            session.execute(() -> sendRetained(session, rm, s, session.mayReadNow(rm.topic())));
                        }
                    });
            return;
        }
        if (sourceMay) {
            sendRetained(session, rm, s, may);
        }
    }

    /**
     * check_retain_source: whether the retained message's publisher may still write its topic (an
     * ACL change since may forbid it); null when a backend has to be asked.
     */
    private static Boolean retainSourceMay(MqttConnection c, RetainedMessage rm) {
        if (!c.broker.config.checkRetainSource() || rm.sourceClientId() == null) {
            return true;
        }
        io.courtier.broker.security.Authorizer a = c.authorizer();
        if (a.isAsync()) {
            return a.decideNow(Access.WRITE, rm.sourceClientId(), rm.sourceUsername(), rm.topic());
        }
        return a.canPublish(rm.sourceClientId(), rm.sourceUsername(), rm.topic());
    }

    /** {@code may}: the subscriber's read permission, null when a backend has to be asked first. */
    private static void sendRetained(Session session, RetainedMessage rm, Subscriber s, Boolean may) {
        if (may != null && !may) {
            return;
        }
        Message m = new Message(rm.topic(), rm.qos(), true, rm.properties(), Unpooled.wrappedBuffer(rm.payload()),
                null, rm.expiresAtMillis());
        int[] ids = s.subscriptionId() == 0 ? new int[0] : new int[] {s.subscriptionId()};
        try {
            // Retained messages sent on subscription carry RETAIN 1 whatever Retain As Published says [MQTT-3.3.1-9].
            if (may == null) {
                session.offerWhenAllowed(m, Math.min(rm.qos(), s.qos()), true, ids, null);
            } else {
                session.deliver(m, Math.min(rm.qos(), s.qos()), true, ids, null);
            }
        } finally {
            m.release();
        }
    }
}
