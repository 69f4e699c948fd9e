package io.courtier.broker.config;

/** What a listener speaks: the {@code protocol} directive (Mosquitto's two, plus our console). */
public enum ListenerProtocol {
    MQTT, WEBSOCKETS, HTTP
}
