package io.courtier.broker.session;

import io.courtier.broker.model.Subscriber;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A session's subscriptions by filter ({@code $share/GROUP/FILTER} for shared ones), recorded in
 * its journal as they change. The topic tree holds the same subscriptions for routing; this copy
 * is what the session takes with it (takeover, restart, the console). Changed on the session's
 * loop; the count is read from any thread.
 */
final class Subscriptions {

    /** Sized for the common one or two subscriptions (a default map's first table has 16 slots): grows by doubling. */
    private final Map<String, Subscriber> byKey = new HashMap<>(2);
    private volatile int count;

    static String key(String shareGroup, String filter) {
        return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
    }

    void add(Subscriber s, SessionJournal journal) {
        String key = key(s.shareGroup(), s.filter());
        byKey.put(key, s);
        count = byKey.size();
        journal.putSubscription(key, s);
    }

    /** Restored at start-up: already in the journal. */
    void restore(Subscriber s) {
        byKey.put(key(s.shareGroup(), s.filter()), s);
        count = byKey.size();
    }

    Subscriber remove(String shareGroup, String filter, SessionJournal journal, boolean record) {
        String key = key(shareGroup, filter);
        Subscriber s = byKey.remove(key);
        count = byKey.size();
        if (s != null && record) {
            journal.removeSubscription(key);
        }
        return s;
    }

    boolean has(String shareGroup, String filter) {
        return byKey.containsKey(key(shareGroup, filter));
    }

    Collection<Subscriber> all() {
        return byKey.values();
    }

    int count() {
        return count;
    }
}
