package io.courtier.broker.sys;

/** Point-in-time values the $SYS tree and metrics read from the broker's rooms. */
public interface BrokerGauges {
    int clientsConnected();

    /** Persistent sessions whose client is offline. */
    int clientsDisconnected();

    /** Most clients connected at once since start. */
    int clientsMaximum();

    long subscriptionCount();

    long sharedSubscriptionCount();

    long retainedCount();

    /** Messages held for delivery (queued and in flight) plus retained messages. */
    long storedMessageCount();

    long storedMessageBytes();
}
