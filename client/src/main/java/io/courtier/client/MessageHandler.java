package io.courtier.client;

import io.courtier.codec.Publish;

/**
 * Receives each incoming PUBLISH on the connection's event loop. The client acknowledges it
 * after this returns and then releases the payload: retain it to keep it longer. A QoS 2 message
 * is handed over once, when the broker's PUBREL arrives, however often it was resent before.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Publish message);
}
