package io.courtier.broker.cluster;

import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;

/**
 * A delivery target of this room that stands for a session that is not connected here (a parked
 * session, or one being taken here): it keeps no stored queue on this node (the router offers it
 * what it plans for it), never holds a publisher back by a backlog of its own, and leaves the
 * client's ACL to the node that sends to the client.
 */
abstract class UnstoredTarget implements DeliveryTarget {

    @Override
    public boolean isConnected() {
        return false;
    }

    @Override
    public Boolean mayReadNow(String topic) {
        return Boolean.TRUE; // the node the session is on checks its client's ACL when it sends
    }

    @Override
    public long storeId() {
        return 0;
    }

    @Override
    public void notePlanned(Congestion congestion) {
    }

    @Override
    public void plannedDropped() {
    }

    @Override
    public void whenRelieved(Runnable resume) {
        resume.run(); // never backed up: a parked queue's writes pace its publishers' acknowledgements instead
    }
}
