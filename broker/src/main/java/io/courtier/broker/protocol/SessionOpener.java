package io.courtier.broker.protocol;

import io.courtier.broker.model.Message;
import io.courtier.broker.persistence.StoreJournal;
import io.courtier.broker.security.Authorizer;
import io.courtier.broker.security.ListenerSecurity;
import io.courtier.broker.session.ClientLink;
import io.courtier.broker.session.ClientPresence;
import io.courtier.broker.session.ReadPermission;
import io.courtier.broker.session.Session;
import io.courtier.broker.security.chain.AuthChain;
import io.courtier.codec.Connack;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * The session an accepted CONNECT gets — a new one, the client's persistent one resumed, or one
 * taken over from a connection still open with the same client id [MQTT-3.1.4-2] — attached on
 * the connection's loop, then CONNACK. Apart from {@link ConnectHandler}, which decides whether
 * the client may connect at all, because this half crosses event loops: the session is looked at
 * on its own loop and moved to the connection's.
 */
final class SessionOpener {
    private SessionOpener() {
    }

    /**
     * Opens or takes over the client's session; {@code expiry} is its Session Expiry Interval and
     * {@code connackProperties} what the CONNACK tells an MQTT 5 client.
     */
    static void open(MqttConnection c, String clientId, boolean cleanStart, long expiry, Properties connackProperties) {
        BrokerContext broker = c.broker;
        c.cleanStart = cleanStart;
        EventLoop loop = c.ctx.channel().eventLoop();
        Session existing = broker.sessions.get(clientId);
        if (existing == null && broker.presence.parks()) {
            ClusterResume.open(c, clientId, cleanStart, expiry, connackProperties);
            return;
        }
        openHere(c, clientId, cleanStart, expiry, connackProperties);
    }

    /** {@link #open} with the sessions this node holds only. */
    static void openHere(MqttConnection c, String clientId, boolean cleanStart, long expiry,
                         Properties connackProperties) {
        BrokerContext broker = c.broker;
        EventLoop loop = c.ctx.channel().eventLoop();
        Session existing = broker.sessions.get(clientId);
        if (existing == null) {
            Session fresh = newSession(broker, clientId, expiry, loop);
            if (!broker.sessions.putIfAbsent(fresh)) {
                openHere(c, clientId, cleanStart, expiry, connackProperties); // lost a race
                return;
            }
            attach(c, fresh, false, connackProperties);
            return;
        }
        existing.execute(() -> {
            if (broker.sessions.get(clientId) != existing) {
                // It expired or was replaced while this task waited: start over with what is there now.
                openHere(c, clientId, cleanStart, expiry, connackProperties);
                return;
            }
            ClientLink old = existing.link();
            boolean resume = !cleanStart && !existing.cleanSession();
            if (old != null) {
                existing.detach(old);
                old.takeOver(resume);
            }
            if (!resume) {
                // Clean start, or a session that ended with its connection: the old session ends here.
                SessionCleanup.endSession(broker, existing);
                Session fresh = newSession(broker, clientId, expiry, loop);
                broker.sessions.put(fresh);
                loop.execute(() -> attach(c, fresh, false, connackProperties));
            } else {
                // A new connection within the will delay: the delayed will is not sent [MQTT-3.1.3-9].
                existing.cancelWill();
                existing.cancelExpiry();
                existing.setExpiryInterval(expiry);
                existing.moveTo(loop);
                loop.execute(() -> attach(c, existing, true, connackProperties));
            }
        });
    }

    /** A new session, durable in the store unless it ends with its connection. */
    static Session newSession(BrokerContext broker, String clientId, long expiry, EventLoop loop) {
        Session s = new Session(clientId, expiry, broker.limits, broker.stats, loop);
        if (expiry != 0 && broker.store.durable()) {
            s.persistTo(new StoreJournal(broker.store, broker.store.nextId(), s::loop));
        }
        return s;
    }

    /** On the connection's loop: CONNACK, then resend what the session held, then pipelined packets. */
    static void attach(MqttConnection c, Session session, boolean present, Properties connackProperties) {
        BrokerContext broker = c.broker;
        if (c.state != MqttConnection.State.CONNECTING) {
            // The socket closed while we were setting up.
            SessionCleanup.detached(broker, session);
            return;
        }
        c.session = session;
        session.setReadPermission(readPermission(c));
        session.recordConnected(c.will);
        broker.sessions.clientConnected();
        if (broker.presence != ClientPresence.NONE) {
            Message will = c.will == null ? null : Wills.message(c.will, c.clientId, c.maxQos()).publishedBy(c.username);
            try {
                long delay = will == null ? 0 : Math.min(Wills.delaySeconds(c.will), session.expiryInterval());
                c.presenceEnd = broker.presence.connected(c.clientId, will, delay, c.cleanStart,
                        !session.cleanSession());
            } finally {
                if (will != null) {
                    will.release();
                }
            }
        }
        broker.stats.connections.increment();
        c.send(new Connack(present, ReasonCode.SUCCESS, connackProperties));
        if (broker.config.connectionMessages()) {
            MqttConnection.LOG.info("New {} connected from {} as {} (p{}, c{}, k{}{}).",
                    c.bridge ? "bridge" : "client", c.address(), c.clientId,
                    c.version == MqttVersion.V3_1 ? 1 : c.version == MqttVersion.V3_1_1 ? 2 : 5,
                    session.cleanSession() ? 1 : 0, c.keepAlive,
                    c.username == null ? "" : ", u'" + c.username + "'");
        }
        session.resume(c.out);
        if (!session.cleanSession()) {
            broker.presence.online(session); // the cluster's copy of its subscriptions, should this node die
        }
        c.connected();
        AuthChain chain = c.chain();
        if (chain != null) {
            chain.connected(new ClientInfo(c.clientId, c.username, c.address()));
        }
    }

    /**
     * What the client may receive, checked on each delivery against the ACL in force then; with
     * a backend that has to be asked, the delivery waits for it (ReadPermission).
     */
    private static ReadPermission readPermission(MqttConnection c) {
        ListenerSecurity security = c.broker.security(c.listener);
        String clientId = c.clientId;
        String username = c.username;
        return new ReadPermission() {
            @Override
            public Boolean now(String topic) {
                Authorizer a = security.authorizer();
                if (a.isAsync()) {
                    return a.decideNow(Access.READ, clientId, username, topic); // null: ask
                }
                return a.canReceive(clientId, username, topic);
            }

            @Override
            public CompletableFuture<Boolean> later(String topic) {
                return security.authorizer().decide(Access.READ, clientId, username, topic);
            }
        };
    }
}
