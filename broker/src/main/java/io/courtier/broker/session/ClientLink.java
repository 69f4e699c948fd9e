package io.courtier.broker.session;

import io.courtier.codec.MqttPacket;

/** What a session needs of the connection it is attached to. Implemented by the protocol room. */
public interface ClientLink {

    /** Writes a packet (flushes are batched by the transport). Consumes a PUBLISH's reference. */
    void send(MqttPacket packet);

    /** Whether the socket can take more without buffering (Netty channel writability). */
    boolean isWritable();

    /** Closes the connection because another one took its client id over. */
    void takeOver();
}
