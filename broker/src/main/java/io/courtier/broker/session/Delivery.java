package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;

/**
 * One message for one session: its delivery QoS and RETAIN flag, the subscription identifiers
 * it goes out with (MQTT 5), the shared subscription it was chosen for (null if none), and once
 * sent at QoS 1/2 its packet id and whether PUBREL went out (QoS 2 second half). Owned by the
 * session's loop.
 */
final class Delivery {
    final Message message;
    /** A byte, not an int: with {@link #prev} the object still fits in 48 bytes, as it did before the window's links. */
    final byte qos;
    final boolean retainFlag;
    final int[] subscriptionIds;
    final Subscriber shared;
    /** The delivery's queue entry in the store; 0 when it is not stored. */
    final long entrySeq;
    int packetId;
    boolean pubrelSent;
    /** A QoS 2 PUBLISH or PUBREL held back until the store has the state that goes with it. */
    boolean awaitingStore;
    /**
     * Link in whichever list holds the delivery — a delivery is in one at most: the session's
     * inbox while it waits there, newest first (see Session.offer), or its in-flight window once
     * sent, towards the newer (see {@link InflightWindow}). One field for both keeps the object,
     * made for every message to every subscriber, no bigger.
     */
    Delivery next;
    /** Link in the in-flight window towards the delivery sent before this one. */
    Delivery prev;

    Delivery(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared) {
        this(message, qos, retainFlag, subscriptionIds, shared, 0);
    }

    Delivery(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared, long entrySeq) {
        this.message = message;
        this.qos = (byte) qos;
        this.retainFlag = retainFlag;
        this.subscriptionIds = subscriptionIds;
        this.shared = shared;
        this.entrySeq = entrySeq;
    }
}
