package io.courtier.broker.session;

import io.courtier.broker.model.Message;

/**
 * Where a connected client is known beyond this broker: the cluster's client table, which makes a
 * client id unique across nodes and lets a survivor publish the will of a client whose node died.
 * {@link #NONE} on a single broker.
 */
public interface ClientPresence {

    ClientPresence NONE = (clientId, will, willDelaySeconds, cleanStart) -> null;

    /**
     * A client is connected here, with this will ({@code null}: none; not consumed), to be
     * published {@code willDelaySeconds} after its connection is lost (its MQTT 5 Will Delay
     * Interval, at most its session's expiry [MQTT-3.1.3-9]; 0: at once); {@code cleanStart}
     * whether it started a new session, which sends a will still delayed from an earlier
     * connection at once rather than cancelling it. Returns what to run when that connection
     * ends, or null.
     */
    Runnable connected(String clientId, Message will, long willDelaySeconds, boolean cleanStart);
}
