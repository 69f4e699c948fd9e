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

    /** Made on the first QoS 2 PUBLISH: most clients never send one, and an empty set costs 64 bytes. */
    private Set<Integer> held;

    boolean begin(int packetId) {
        if (held == null) {
            held = new HashSet<>();
        }
        return held.add(packetId);
    }

    boolean holds(int packetId) {
        return held != null && held.contains(packetId);
    }

    boolean end(int packetId) {
        return held != null && held.remove(packetId);
    }

    /**
     * Forgets the id, then tells {@code then} whether it was held, once the journal has forgotten
     * it too: else a restart would take the client's next use of the id for a resend and drop it.
     */
    void end(int packetId, SessionJournal journal, Runnable onLoop, Consumer<Boolean> then) {
        boolean known = end(packetId);
        if (known && journal != SessionJournal.NONE) {
            journal.removeInbound(packetId, onLoop);
        } else {
            then.accept(known);
        }
    }

    /** The ids held now, to end them all (a bridge's remote broker forgot its session). */
    int[] ids() {
        return held == null ? new int[0] : held.stream().mapToInt(Integer::intValue).toArray();
    }

    int count() {
        return held == null ? 0 : held.size();
    }

    void clear() {
        held = null;
    }
}
