package io.courtier.broker.session;

import io.courtier.broker.routing.TargetDirectory;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Sessions by client id, for client-id takeover and for routing. Safe for concurrent use. */
public final class SessionRegistry implements TargetDirectory {

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger maximum = new AtomicInteger();

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    @Override
    public Session target(String clientId) {
        return sessions.get(clientId);
    }

    /** Registers a session unless one exists for its client id; true if it was registered. */
    public boolean putIfAbsent(Session session) {
        return sessions.putIfAbsent(session.clientId(), session) == null;
    }

    public void put(Session session) {
        sessions.put(session.clientId(), session);
    }

    /** Removes the session only if it is still the one registered under its id. */
    public boolean remove(Session session) {
        return sessions.remove(session.clientId(), session);
    }

    /** Every session held: connected clients and those kept for offline clients. */
    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public void clientConnected() {
        int now = connected.incrementAndGet();
        maximum.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        connected.decrementAndGet();
    }

    public int connectedCount() {
        return connected.get();
    }

    public int maximumConnected() {
        return maximum.get();
    }

    /** Persistent sessions whose client is offline. */
    public int disconnectedCount() {
        return Math.max(0, sessions.size() - connected.get());
    }
}
