package io.courtier.client;

import io.courtier.codec.MqttPacket;

/**
 * Takes a connection's QoS exchanges over from {@link MqttClient}: a broker's bridge keeps its
 * messages in flight, their packet identifiers and the inbound QoS 2 state in a session of its
 * own that outlives any one connection, and acknowledges an incoming message only once its broker
 * has accepted it. Called on the client's event loop.
 */
@FunctionalInterface
public interface PublishFlow {

    /**
     * An incoming PUBLISH (whose reference the flow now owns), or PUBACK, PUBREC, PUBREL or
     * PUBCOMP. The client has not answered it.
     */
    void received(MqttPacket packet);
}
