package io.courtier.testkit;

/**
 * Where a broker under test listens, so the kit's clients can reach any broker: Courtier's
 * {@code TestBroker} implements it, and so does Debian's mosquitto in {@link MosquittoBroker}.
 */
public interface MqttEndpoint {

    int port();

    default String host() {
        return "127.0.0.1";
    }

    /** A Paho server URI: {@code tcp://127.0.0.1:PORT}. */
    default String uri() {
        return "tcp://" + host() + ":" + port();
    }
}
