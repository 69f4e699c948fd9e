package io.courtier.broker.cluster;

import io.courtier.broker.model.Message;
import io.courtier.broker.session.ClientPresence;
import io.courtier.broker.session.Session;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** The cluster as the session and protocol rooms see it: the client table and the parked sessions. */
final class ClusterPresence implements ClientPresence {

    private final ClientTable clients;
    private final ParkedSessions parked;

    ClusterPresence(ClientTable clients, ParkedSessions parked) {
        this.clients = clients;
        this.parked = parked;
    }

    @Override
    public Runnable connected(String clientId, Message will, long willDelaySeconds, boolean cleanStart,
                              boolean persistent) {
        return clients.connected(clientId, will, willDelaySeconds, cleanStart, persistent);
    }

    @Override
    public void online(Session session) {
        parked.online(session);
    }

    @Override
    public void ended(String clientId) {
        parked.ended(clientId);
    }

    @Override
    public void holdWill(String clientId, long delayMillis, Runnable publish) {
        clients.holdWill(clientId, delayMillis, publish);
    }

    @Override
    public boolean parks() {
        return true;
    }

    @Override
    public void park(Session session, BooleanSupplier removeHere, Runnable keepHere) {
        parked.park(session, removeHere, keepHere);
    }

    @Override
    public void parkRestored(Session session, BooleanSupplier removeHere, Runnable keepHere) {
        parked.parkRestored(session, removeHere, keepHere);
    }

    @Override
    public CompletableFuture<MovedSession> take(String clientId, boolean cleanStart) {
        return parked.take(clientId, cleanStart);
    }

    @Override
    public void resumed(String clientId, Session session) {
        parked.resumed(clientId, session);
    }
}
