package io.courtier.broker.persistence;

import io.courtier.broker.persistence.codec.QueueEntry;
import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.model.Message;
import java.util.List;

/**
 * One persistent session read back: its record, subscriptions, queue (in order: every in-flight
 * entry and the first queued ones, up to the memory window) and inbound QoS 2 ids;
 * {@code entriesOnDisk} more queued entries stay on disk until the session reads them.
 */
public record RecoveredSession(String clientId, SessionRecord record, List<Subscriber> subscriptions,
                               List<Entry> entries, List<Integer> inboundQos2, long entriesOnDisk) {

    /** A queue entry with its message (shared with other sessions' entries). */
    public record Entry(long seq, QueueEntry entry, Message message) {
    }
}
