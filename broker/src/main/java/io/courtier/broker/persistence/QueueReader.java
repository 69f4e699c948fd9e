package io.courtier.broker.persistence;

import io.courtier.broker.session.QueuePage;
import io.courtier.broker.persistence.codec.EntryCodec;
import io.courtier.broker.persistence.codec.Keys;
import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.model.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Reads a page of one session's queue entries, in order, with their messages (on the store's thread). */
final class QueueReader {
    private QueueReader() {
    }

    static QueuePage read(RocksDbFiles files, long storeId, long[] exclude, int limit, long batch)
            throws RocksDBException {
        List<QueuePage.Entry> entries = new ArrayList<>(Math.min(limit, 1024));
        Map<Long, Message> messages = new HashMap<>();
        boolean exhausted = true;
        try (RocksIterator it = files.db.newIterator(files.entries)) {
            for (it.seek(Keys.id(storeId)); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (Keys.owner(key) != storeId) {
                    break;
                }
                long seq = Keys.entrySeq(key);
                if (Arrays.binarySearch(exclude, seq) >= 0) {
                    continue;
                }
                if (entries.size() == limit) {
                    exhausted = false;
                    break;
                }
                QueueEntry e = EntryCodec.decode(it.value());
                Message m = messages.get(e.messageId());
                if (m == null) {
                    byte[] v = files.db.get(files.messages, Keys.id(e.messageId()));
                    if (v == null) {
                        continue; // cannot happen with atomic batches; skip rather than stall the queue
                    }
                    m = MessageCodec.decode(v).toMessage();
                    m.storedAs(e.messageId());
                    messages.put(e.messageId(), m);
                }
                entries.add(new QueuePage.Entry(seq, e, m));
            }
        }
        return new QueuePage(entries, batch, exhausted);
    }
}
