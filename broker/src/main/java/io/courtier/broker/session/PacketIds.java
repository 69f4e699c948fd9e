package io.courtier.broker.session;

import java.util.function.IntPredicate;

/**
 * Packet identifiers for one session's outbound QoS 1/2 messages: 1..65535, wrapping, skipping
 * identifiers still in use [MQTT-2.3.1-2]. Used on the session's event loop only.
 */
public final class PacketIds {
    private int last;

    /** The next free identifier, or 0 if all 65,535 are in use. */
    public int next(IntPredicate inUse) {
        for (int tries = 0; tries < 65535; tries++) {
            last = last == 65535 ? 1 : last + 1;
            if (!inUse.test(last)) {
                return last;
            }
        }
        return 0;
    }
}
