package io.courtier.broker.persistence;

import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Message;
import java.util.List;
import java.util.Map;

/**
 * What a store held at start-up. {@code messages} owns one reference to each queued message;
 * whoever restores the sessions retains its own and then calls {@link #release}.
 */
public record RecoveredState(List<RecoveredSession> sessions, List<RetainedMessage> retained,
                             Map<Long, Message> messages) {

    public static final RecoveredState EMPTY = new RecoveredState(List.of(), List.of(), Map.of());

    public int queuedMessages() {
        int n = 0;
        for (RecoveredSession s : sessions) {
            n += s.entries().size() + s.entriesOnDisk();
        }
        return n;
    }

    public void release() {
        messages.values().forEach(Message::release);
    }
}
