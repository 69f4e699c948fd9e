package io.courtier.broker.session;

import io.courtier.codec.MqttPacket;

/** What a session needs of the connection it is attached to. Implemented by the protocol room. */
public interface ClientLink {

    /** Writes a packet (flushes are batched by the transport). Consumes a PUBLISH's reference. */
    void send(MqttPacket packet);

    /** Whether the socket can take more without buffering (Netty channel writability). */
    boolean isWritable();

    /**
     * Whether a QoS 0 message may be written now. Mosquitto keeps writing QoS 0 messages to a
     * connected client whatever its backlog (max_queued_messages counts QoS 1 and 2 only), so a
     * connection may take them past writability, up to its own bound; by default, as writable.
     */
    default boolean acceptsQos0() {
        return isWritable();
    }

    /**
     * Whether so much is waiting to be written that publishers feeding this client should wait
     * (see {@link BacklogPressure}); by default never.
     */
    default boolean isBackedUp() {
        return false;
    }

    /** Closes the connection because another one took its client id over. */
    void takeOver();

    /**
     * As {@link #takeOver()}, telling whether the new connection resumes the session (clean start
     * 0 on a session that outlives its connection) or ends it: an MQTT 5 delayed will is dropped
     * only in the first case [MQTT-3.1.3-9].
     */
    default void takeOver(boolean sessionContinues) {
        takeOver();
    }

    /** The client's Receive Maximum (MQTT 5): QoS 1/2 PUBLISHes it accepts unacknowledged. */
    default int receiveMaximum() {
        return 65_535;
    }

    /** Whether the packet fits the client's Maximum Packet Size (MQTT 5) [MQTT-3.1.2-24]. */
    default boolean fits(MqttPacket packet) {
        return true;
    }

    /** For the console; read on the session's loop. Null when the link cannot say. */
    default ConnectionInfo info() {
        return null;
    }

    /**
     * An administrator disconnects the client (console): DISCONNECT 0x98 for MQTT 5, a close
     * otherwise; the will is published, as for any end the client did not ask for.
     */
    default void disconnectByAdministrator() {
    }
}
