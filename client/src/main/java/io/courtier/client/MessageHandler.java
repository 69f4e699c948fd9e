package io.courtier.client;

import io.courtier.codec.Publish;

/**
 * Receives each incoming PUBLISH on the connection's event loop. The client acknowledges it
 * after this returns and then releases the payload: retain it to keep it longer. For QoS 2 a
 * message is handed over once, however often the broker resends it before PUBREL.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Publish message);
}
