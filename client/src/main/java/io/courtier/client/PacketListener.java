package io.courtier.client;

import io.courtier.codec.MqttPacket;

/**
 * Sees every packet the client sends and receives, on the connection's event loop, before the
 * client acts on it (the tools' {@code -d} output). Must not keep a PUBLISH past the call.
 */
public interface PacketListener {

    PacketListener NONE = new PacketListener() {
    };

    default void sending(MqttPacket packet) {
    }

    default void received(MqttPacket packet) {
    }
}
