package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.QueueEntry;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Queue entries read back from disk for a session whose queue does not fit its memory window.
 * {@code batch} is the last group commit the read saw: a delivery committed in it or before was
 * seen by this read. {@code exhausted} when the session has nothing more on disk. Owns one
 * reference to each message; the reader retains its own and calls {@link #release}.
 */
public record QueuePage(List<Entry> entries, long batch, boolean exhausted) {

    /** A queue entry with its message (shared with other sessions' entries). */
    public record Entry(long seq, QueueEntry entry, Message message) {
    }

    public void release() {
        IdentityHashMap<Message, Boolean> seen = new IdentityHashMap<>();
        for (Entry e : entries) {
            if (seen.put(e.message(), Boolean.TRUE) == null) {
                e.message().release();
            }
        }
    }
}
