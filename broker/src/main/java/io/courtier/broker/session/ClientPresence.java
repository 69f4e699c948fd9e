package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Where a client and its persistent session are known beyond this broker: the cluster, which
 * makes a client id unique across nodes, lets a survivor publish the will of a client whose node
 * died, and keeps the persistent sessions of offline clients ("parked") so that they resume on
 * whichever node the client comes back to. {@link #NONE} on a single broker.
 */
public interface ClientPresence {

    ClientPresence NONE = (clientId, will, willDelaySeconds, cleanStart, persistent) -> null;

    /**
     * A client is connected here, with this will ({@code null}: none; not consumed), to be
     * published {@code willDelaySeconds} after its connection is lost (its MQTT 5 Will Delay
     * Interval, at most its session's expiry [MQTT-3.1.3-9]; 0: at once); {@code cleanStart}
     * whether it started a new session, which sends a will still delayed from an earlier
     * connection at once rather than cancelling it; {@code persistent} whether its session
     * outlives the connection (it is parked when another node takes the client over). Returns
     * what to run when that connection ends, or null.
     */
    Runnable connected(String clientId, Message will, long willDelaySeconds, boolean cleanStart, boolean persistent);

    /**
     * On the session's loop: a persistent session's client connected here, or its subscriptions
     * changed. The cluster keeps a copy of its subscriptions, from which it parks the session if
     * this node dies, so that its client resumes them on another node.
     */
    default void online(Session session) {
    }

    /** A persistent session ended here (a clean start replaced it, or it expired). */
    default void ended(String clientId) {
    }

    /**
     * The delayed will of a session that leaves this node ({@link #park}): published by
     * {@code publish} (any thread) after {@code delayMillis} unless its client connects again
     * first, wherever it connects. A single broker never parks, so never calls this.
     */
    default void holdWill(String clientId, long delayMillis, Runnable publish) {
        publish.run();
    }

    /** Whether persistent sessions of clients that go offline here are {@link #park}ed. */
    default boolean parks() {
        return false;
    }

    /**
     * On the session's loop, its client gone: hands a persistent session (subscriptions and held
     * messages) to the cluster. Once the cluster holds it, {@code removeHere} runs on the session's
     * loop (it returns false if the session is no longer offline and here: a client came back
     * meanwhile, and the cluster gives back what it gathered); if it cannot, {@code keepHere} does.
     */
    default void park(Session session, BooleanSupplier removeHere, Runnable keepHere) {
        keepHere.run();
    }

    /**
     * As {@link #park}, for a session restored from this broker's store at start-up: the cluster
     * may hold the same session already (parked from its online copy when this node went), and
     * its messages then go ahead of those queued there since; while its client is online at
     * another node, {@code keepHere} runs and the session stays here.
     */
    default void parkRestored(Session session, BooleanSupplier removeHere, Runnable keepHere) {
        keepHere.run();
    }

    /**
     * A CONNECT here for {@code clientId}: takes the client's session from the cluster, waiting
     * (briefly, without blocking) for the node it is connected to to park it. Completes with null
     * when there is none, or when {@code cleanStart} (the session found is discarded). Unless it
     * completes with null, the caller calls {@link #resumed} next.
     */
    default CompletableFuture<MovedSession> take(String clientId, boolean cleanStart) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * On the session's loop: the session {@link #take}n is registered here with what it held
     * ({@code session} null: it was not, another took the id meanwhile). Messages that reach the
     * session by the cluster from now on are delivered to it.
     */
    default void resumed(String clientId, Session session) {
    }

    /** A session taken from the cluster: its subscriptions and held messages, in order. */
    record MovedSession(List<Subscriber> subscriptions, List<HeldMessage> messages) {
    }

    /**
     * One message a moved session holds: owns one reference to {@code message}; {@code packetId}
     * is 0 while queued, else it was in flight ({@code pubrelSent}: PUBREC came).
     */
    record HeldMessage(Message message, int qos, boolean retainFlag, int[] subscriptionIds, int packetId,
                       boolean pubrelSent) {
    }
}
