package io.courtier.broker.session;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The QoS 2 packet ids a client published and has not released with PUBREL yet: a PUBLISH that
 * comes again with one of them is a resend, acknowledged but not routed twice [MQTT-4.3.3-2]. Used
 * on the session's loop only.
 */
final class InboundQos2 {

    private final Set<Integer> held = new HashSet<>();

    boolean begin(int packetId) {
        return held.add(packetId);
    }

    boolean holds(int packetId) {
        return held.contains(packetId);
    }

    boolean end(int packetId) {
        return held.remove(packetId);
    }

    /**
     * Forgets the id, then tells {@code then} whether it was held, once the journal has forgotten
     * it too: else a restart would take the client's next use of the id for a resend and drop it.
     */
    void end(int packetId, SessionJournal journal, Runnable onLoop, Consumer<Boolean> then) {
        boolean known = held.remove(packetId);
        if (known && journal != SessionJournal.NONE) {
            journal.removeInbound(packetId, onLoop);
        } else {
            then.accept(known);
        }
    }

    int count() {
        return held.size();
    }

    void clear() {
        held.clear();
    }
}
