package io.courtier.broker.routing;

import io.courtier.broker.session.Message;
import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Local delivery: the topic tree's matches for a message, collapsed to one delivery per client
 * at the highest QoS among its matching subscriptions (MQTT 3.1.1 section 3.3.5 recommends it,
 * and it spares clients duplicates), plus one member per shared-subscription group, each handed
 * to its session's event loop. The cluster plugs in here later.
 */
public final class Router {

    private final TopicTree tree;
    private final SessionRegistry sessions;
    private final boolean upgradeOutgoingQos;
    private final ConcurrentHashMap<String, AtomicInteger> shareCursors = new ConcurrentHashMap<>();

    public Router(TopicTree tree, SessionRegistry sessions, boolean upgradeOutgoingQos) {
        this.tree = tree;
        this.sessions = sessions;
        this.upgradeOutgoingQos = upgradeOutgoingQos;
    }

    /** Delivers a message to every matching session; does not consume the caller's reference. */
    public void route(Message message) {
        Matches matches = new Matches(message.publisherId());
        tree.match(message.topic(), matches);
        if (matches.best != null) {
            for (Subscriber s : matches.best.values()) {
                deliver(message, s);
            }
        } else if (matches.single != null) {
            deliver(message, matches.single);
        }
        if (matches.groups != null) {
            for (Map.Entry<String, List<Subscriber>> g : matches.groups.entrySet()) {
                Subscriber chosen = pickMember(g.getKey(), g.getValue());
                if (chosen != null) {
                    deliver(message, chosen);
                }
            }
        }
    }

    private void deliver(Message message, Subscriber s) {
        Session session = sessions.get(s.clientId());
        if (session == null || !session.mayRead(message.topic())) {
            return; // the subscriber's ACL forbids reading this topic: Mosquitto drops it silently
        }
        int qos = upgradeOutgoingQos ? s.qos() : Math.min(message.qos(), s.qos());
        // Forwarded messages carry RETAIN 0 unless the subscriber asked to see it [MQTT-3.3.1-9].
        boolean retainFlag = s.retainAsPublished() && message.retain();
        message.retainRef();
        session.execute(() -> {
            try {
                session.deliver(message, qos, retainFlag);
            } finally {
                message.release();
            }
        });
    }

    /** Round robin over the group's members, preferring connected ones. */
    private Subscriber pickMember(String group, List<Subscriber> members) {
        int start = shareCursors.computeIfAbsent(group, k -> new AtomicInteger()).getAndIncrement();
        int n = members.size();
        Subscriber fallback = null;
        for (int i = 0; i < n; i++) {
            Subscriber s = members.get(Math.floorMod(start + i, n));
            Session session = sessions.get(s.clientId());
            if (session != null && session.isConnected()) {
                return s;
            }
            if (fallback == null && session != null) {
                fallback = s;
            }
        }
        return fallback;
    }

    /** Collects matches; allocates a map only when more than one client matches. */
    private static final class Matches implements Consumer<Subscriber> {
        private final String publisherId;
        Subscriber single;
        Map<String, Subscriber> best;
        Map<String, List<Subscriber>> groups;

        Matches(String publisherId) {
            this.publisherId = publisherId;
        }

        @Override
        public void accept(Subscriber s) {
            if (s.shareGroup() != null) {
                if (groups == null) {
                    groups = new HashMap<>();
                }
                groups.computeIfAbsent(s.shareGroup() + '/' + s.filter(), k -> new ArrayList<>()).add(s);
                return;
            }
            if (s.noLocal() && s.clientId().equals(publisherId)) {
                return;
            }
            if (best == null) {
                if (single == null) {
                    single = s;
                    return;
                }
                if (single.clientId().equals(s.clientId())) {
                    single = higher(single, s);
                    return;
                }
                best = new HashMap<>();
                best.put(single.clientId(), single);
            }
            best.merge(s.clientId(), s, Matches::higher);
        }

        private static Subscriber higher(Subscriber a, Subscriber b) {
            return b.qos() > a.qos() ? b : a;
        }
    }
}
