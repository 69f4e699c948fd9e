package io.courtier.broker.sys;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the protocol code increments on every event loop; LongAdder keeps them free of
 * contention. Read by the $SYS tree and the metrics endpoint.
 */
public final class BrokerStats {
    /** Every MQTT packet received, of any type. */
    public final LongAdder messagesReceived = new LongAdder();
    /** Every MQTT packet sent, of any type. */
    public final LongAdder messagesSent = new LongAdder();
    /** PUBLISH packets received from clients. */
    public final LongAdder publishReceived = new LongAdder();
    /** PUBLISH packets sent to clients. */
    public final LongAdder publishSent = new LongAdder();
    /** Messages dropped: full queues, QoS 0 to offline clients that do not queue them. */
    public final LongAdder publishDropped = new LongAdder();
    /** PUBLISH payload bytes received. */
    public final LongAdder publishBytesReceived = new LongAdder();
    /** PUBLISH payload bytes sent. */
    public final LongAdder publishBytesSent = new LongAdder();
    /** Bytes read from sockets. */
    public final LongAdder bytesReceived = new LongAdder();
    /** Bytes written to sockets. */
    public final LongAdder bytesSent = new LongAdder();
    /** Sockets accepted. */
    public final LongAdder socketConnections = new LongAdder();
    /** Successful CONNECTs. */
    public final LongAdder connections = new LongAdder();
    /** Persistent sessions removed for having expired. */
    public final LongAdder clientsExpired = new LongAdder();
    /** Payload bytes queued in memory across all sessions (behind their in-flight windows). */
    public final LongAdder queuedBytes = new LongAdder();
    /** Messages dropped because the queues together reached max_queued_bytes_total. */
    public final LongAdder droppedQueueMemory = new LongAdder();
    /** Logins refused "server busy" because too many checks were waiting (security.LoginGate). */
    public final LongAdder loginsRefusedBusy = new LongAdder();
    /** PUBLISH packets received, by QoS (index 0, 1, 2), for the metrics endpoint. */
    public final LongAdder[] publishReceivedByQos = {new LongAdder(), new LongAdder(), new LongAdder()};
    /** PUBLISH packets sent, by QoS. */
    public final LongAdder[] publishSentByQos = {new LongAdder(), new LongAdder(), new LongAdder()};
    /** How long durable store writes take; the persistence room records into it. */
    public final StoreLatency storeLatency = new StoreLatency();
}
