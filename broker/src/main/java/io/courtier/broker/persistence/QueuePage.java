package io.courtier.broker.persistence;

import io.courtier.broker.model.Message;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Queue entries read back from disk for a session whose queue does not fit its memory window.
 * {@code batch} is the last group commit the read saw: a delivery committed in it or before was
 * seen by this read. {@code exhausted} when the session has nothing more on disk. Owns one
 * reference to each message; the reader retains its own and calls {@link #release}.
 */
public record QueuePage(List<RecoveredSession.Entry> entries, long batch, boolean exhausted) {

    public void release() {
        IdentityHashMap<Message, Boolean> seen = new IdentityHashMap<>();
        for (RecoveredSession.Entry e : entries) {
            if (seen.put(e.message(), Boolean.TRUE) == null) {
                e.message().release();
            }
        }
    }
}
