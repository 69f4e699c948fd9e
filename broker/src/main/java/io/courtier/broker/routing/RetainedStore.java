package io.courtier.broker.routing;

import io.courtier.broker.model.RetainedMessage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Retained messages by topic, safe for concurrent readers. Matching a filter scans every
 * retained topic: subscribing is far rarer than publishing, and retained sets are small for
 * most users. A retained trie is the upgrade path when that stops being true.
 */
public final class RetainedStore {

    private final ConcurrentHashMap<String, RetainedMessage> byTopic = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    /** Told of every change made here (the cluster passes it on to the other nodes); null on a single broker. */
    private volatile Consumer<RetainedMessage> listener;

    /** Sets the one listener told of each {@link #put} (not of {@link #putFromPeer}). */
    public void listen(Consumer<RetainedMessage> l) {
        listener = l;
    }

    /** Stores a message, replacing the topic's previous one; an empty payload removes it [MQTT-3.3.1-10]. */
    public void put(RetainedMessage m) {
        putFromPeer(m);
        Consumer<RetainedMessage> l = listener;
        if (l != null) {
            l.accept(m);
        }
    }

    /** {@link #put} of a change another cluster node made: the listener is not told (it came from there). */
    public void putFromPeer(RetainedMessage m) {
        if (m.payload().length == 0) {
            RetainedMessage old = byTopic.remove(m.topic());
            if (old != null) {
                bytes.addAndGet(-old.payload().length);
            }
            return;
        }
        RetainedMessage old = byTopic.put(m.topic(), m);
        bytes.addAndGet(m.payload().length - (old == null ? 0 : old.payload().length));
    }

    public RetainedMessage get(String topic) {
        return byTopic.get(topic);
    }

    /**
     * Visits every retained message whose topic the filter matches. A message past its MQTT 5
     * expiry is removed instead of visited (MQTT 5.0 3.3.2.3.3).
     */
    public void match(String filter, Consumer<RetainedMessage> visitor) {
        long now = System.currentTimeMillis();
        if (!filter.contains("+") && !filter.contains("#")) {
            RetainedMessage m = byTopic.get(filter);
            if (m != null && live(m, now)) {
                visitor.accept(m);
            }
            return;
        }
        for (RetainedMessage m : byTopic.values()) {
            if (TopicMatcher.matches(filter, m.topic()) && live(m, now)) {
                visitor.accept(m);
            }
        }
    }

    private boolean live(RetainedMessage m, long now) {
        if (m.expiresAtMillis() == 0 || now < m.expiresAtMillis()) {
            return true;
        }
        if (byTopic.remove(m.topic(), m)) {
            bytes.addAndGet(-m.payload().length);
        }
        return false;
    }

    /** Visits every retained message, for persistence and the console. */
    public void forEach(Consumer<RetainedMessage> visitor) {
        byTopic.values().forEach(visitor);
    }

    public int size() {
        return byTopic.size();
    }

    public long bytes() {
        return bytes.get();
    }
}
