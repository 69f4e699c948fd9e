package io.courtier.broker.persistence;

import io.courtier.broker.persistence.codec.SessionRecord;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.session.QueuePage;
import java.util.List;

/**
 * One persistent session read back: its record, subscriptions, queue (in order: every in-flight
 * entry and the first queued ones, up to the memory window) and inbound QoS 2 ids;
 * {@code entriesOnDisk} more queued entries stay on disk until the session reads them.
 */
public record RecoveredSession(String clientId, SessionRecord record, List<Subscriber> subscriptions,
                               List<QueuePage.Entry> entries, List<Integer> inboundQos2, long entriesOnDisk) {

}
