package io.courtier.broker.session;

import io.courtier.broker.model.Message;

/**
 * Where a connected client is known beyond this broker: the cluster's client table, which makes a
 * client id unique across nodes and lets a survivor publish the will of a client whose node died.
 * {@link #NONE} on a single broker.
 */
public interface ClientPresence {

    ClientPresence NONE = (clientId, will) -> null;

    /**
     * A client is connected here, with this will ({@code null}: none; not consumed). Returns what
     * to run when that connection ends, or null.
     */
    Runnable connected(String clientId, Message will);
}
