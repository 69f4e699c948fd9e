package io.courtier.broker.protocol;

import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.session.ClientPresence.HeldMessage;
import io.courtier.broker.session.ClientPresence.MovedSession;
import io.courtier.broker.session.Session;
import io.courtier.codec.Properties;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A CONNECT on a cluster node for a client id with no session here: the session the client left
 * in the cluster (parked by the node it was on, or taken over from a connection there) comes here
 * before CONNACK, with its subscriptions and the messages it held, which go out again as after a
 * reconnection (in flight first, with DUP). With clean start the cluster's copy is discarded.
 * One CONNECT per client id at a time takes it on a node; the others wait, then take over.
 */
final class ClusterResume {
    private ClusterResume() {
    }

    static void open(MqttConnection c, String clientId, boolean cleanStart, long expiry, Properties connackProperties) {
        BrokerContext broker = c.broker;
        EventLoop loop = c.ctx.channel().eventLoop();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier = broker.resuming.putIfAbsent(clientId, mine);
        if (earlier != null) {
            // Another CONNECT with this id is taking the session here: once it has it, this one
            // takes it over from that connection, as on one broker [MQTT-3.1.4-2]. Taken twice,
            // the loser's giving up would remove the winner's subscriptions from the tree.
            earlier.whenComplete((v, f) -> loop.execute(() -> {
                if (c.state == MqttConnection.State.CONNECTING) { // else the socket closed meanwhile
                    SessionOpener.open(c, clientId, cleanStart, expiry, connackProperties);
                }
            }));
            return;
        }
        broker.presence.take(clientId, cleanStart)
                .whenComplete((moved, failure) -> loop.execute(() -> {
                    try {
                        opened(c, clientId, cleanStart, expiry, connackProperties, moved, failure);
                    } finally {
                        broker.resuming.remove(clientId, mine);
                        mine.complete(null);
                    }
                }));
    }

    /** On the connection's loop: the session taken from the cluster (if any) is this connection's. */
    private static void opened(MqttConnection c, String clientId, boolean cleanStart, long expiry,
                               Properties connackProperties, MovedSession moved, Throwable failure) {
        BrokerContext broker = c.broker;
        EventLoop loop = c.ctx.channel().eventLoop();
        if (failure != null) {
            MqttConnection.LOG.warn("Client {}: could not take its session from the cluster ({}); "
                    + "it starts a new one.", clientId, failure.toString());
        }
        Session s = moved == null || broker.sessions.get(clientId) != null ? null
                : resume(broker, clientId, expiry, loop, moved);
        if (moved != null) {
            broker.presence.resumed(clientId, s); // what reaches it by the cluster from now on
        }
        if (s == null) {
            release(moved == null ? List.of() : moved.messages());
            SessionOpener.openHere(c, clientId, cleanStart, expiry, connackProperties);
            return;
        }
        SessionOpener.attach(c, s, true, connackProperties);
    }

    /** On the connection's loop: the moved session, registered here; null if another took the id meanwhile. */
    private static Session resume(BrokerContext broker, String clientId, long expiry, EventLoop loop,
                                  MovedSession moved) {
        Session s = SessionOpener.newSession(broker, clientId, expiry, loop);
        if (!broker.sessions.putIfAbsent(s)) {
            return null;
        }
        s.checkReadPermissionOnSend(); // queued on other nodes, which do not know this client's ACL
        for (Subscriber sub : moved.subscriptions()) {
            broker.tree.subscribe(sub);
            s.addSubscription(sub);
        }
        for (HeldMessage h : moved.messages()) {
            s.restoreEntry(h.message(), new QueueEntry(0, h.qos(), h.retainFlag(), h.packetId(), h.pubrelSent(),
                    h.subscriptionIds()), 0);
            h.message().release();
        }
        MqttConnection.LOG.info("Client {} resumed its session from the cluster: {} subscription(s), {} message(s).",
                clientId, moved.subscriptions().size(), moved.messages().size());
        return s;
    }

    private static void release(List<HeldMessage> messages) {
        messages.forEach(h -> h.message().release());
    }
}
