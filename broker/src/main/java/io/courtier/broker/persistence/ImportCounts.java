package io.courtier.broker.persistence;

import java.util.List;

/**
 * What an import from Mosquitto's persistence file brought over, and what it left out:
 * {@code expired} messages and sessions (as Mosquitto would drop them on start), {@code dropped}
 * records that could not be used (a queue entry whose message is missing, an unknown state),
 * and {@code problems}, the damage met reading the file (a truncated tail, a chunk that does
 * not decode).
 */
public record ImportCounts(int retained, int sessions, int subscriptions, int queued, int inflight,
                           int inboundQos2, int expired, int dropped, List<String> problems) {

    /** One line for the log and for {@code courtier migrate}. */
    public String summary() {
        return retained + " retained messages, " + sessions + " sessions, " + subscriptions + " subscriptions, "
                + queued + " queued and " + inflight + " in-flight messages, " + inboundQos2
                + " incoming QoS 2 messages awaiting PUBREL; left out: " + expired + " expired, " + dropped
                + " unusable" + (problems.isEmpty() ? "" : "; the file is damaged: " + problems.size()
                + " problem" + (problems.size() == 1 ? "" : "s"));
    }
}
