package io.courtier.broker.security.chain;

import io.courtier.plugin.Decision;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A backend's remembered answers ({@code auth_opt_cache}): each kept for a fixed time, and one
 * question asked once however many connections ask it at the same moment. Only allow and deny
 * are kept; a backend that could not answer is asked again next time. The map is bounded: when
 * full it starts again empty (a cache, not a store).
 */
final class DecisionCache {

    static final int MAX_ENTRIES = 100_000;

    private record Entry(Decision decision, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> answers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Decision>> asking = new ConcurrentHashMap<>();

    /** {@code seconds} 0: nothing is kept, but questions in flight are still shared. */
    DecisionCache(int seconds) {
        this.ttlNanos = seconds * 1_000_000_000L;
    }

    /** The remembered answer, or null. */
    Decision get(String key) {
        Entry e = answers.get(key);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expiresAtNanos >= 0) {
            answers.remove(key, e);
            return null;
        }
        return e.decision;
    }

    /**
     * The remembered answer, or the answer {@code ask} gives, remembered when it is allow or deny.
     * {@code unavailable} is what a failed question answers.
     */
    CompletableFuture<Decision> get(String key, Supplier<CompletableFuture<Decision>> ask) {
        Decision known = get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        CompletableFuture<Decision> mine = new CompletableFuture<>();
        CompletableFuture<Decision> other = asking.putIfAbsent(key, mine);
        if (other != null) {
            return other;
        }
        ask.get().whenComplete((d, e) -> {
            if (e == null && ttlNanos > 0 && (d == Decision.ALLOW || d == Decision.DENY)) {
                if (answers.size() >= MAX_ENTRIES) {
                    answers.clear();
                }
                answers.put(key, new Entry(d, System.nanoTime() + ttlNanos));
            }
            asking.remove(key, mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(d);
            }
        });
        return mine;
    }
}
