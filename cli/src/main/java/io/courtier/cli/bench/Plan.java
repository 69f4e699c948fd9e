package io.courtier.cli.bench;

import java.util.function.IntFunction;

/**
 * A scenario's shape: how many publishers and subscribers, which topic each publishes to, which
 * filter each subscribes to, and which publishers' messages each subscriber must receive (so
 * that loss is computed, not guessed).
 */
record Plan(String name, int publishers, int subscribers, IntFunction<String> publishTopic,
            IntFunction<String> subscribeFilter, Routes routes) {

    /** Whether subscriber {@code s} is subscribed to publisher {@code p}'s topic. */
    @FunctionalInterface
    interface Routes {
        boolean reaches(int publisher, int subscriber);
    }

    static Plan fanin(int publishers, String prefix) {
        return new Plan("fanin", publishers, 1, i -> prefix + "/in/" + i, i -> prefix + "/in/#", (p, s) -> true);
    }

    static Plan fanout(int subscribers, String prefix) {
        return new Plan("fanout", 1, subscribers, i -> prefix + "/out", i -> prefix + "/out", (p, s) -> true);
    }

    static Plan pairs(int pairs, String prefix) {
        return new Plan("pairs", pairs, pairs, i -> prefix + "/pair/" + i, i -> prefix + "/pair/" + i,
                (p, s) -> p == s);
    }

    static Plan latency(String prefix) {
        return new Plan("latency", 1, 1, i -> prefix + "/latency", i -> prefix + "/latency", (p, s) -> true);
    }

    /** Publishers alone, to a topic pattern where {@code %i} is the publisher's index. */
    static Plan pub(int publishers, String pattern) {
        return new Plan("pub", publishers, 0, i -> pattern.replace("%i", Integer.toString(i)), i -> null,
                (p, s) -> false);
    }

    /** Subscribers alone, counting whatever arrives on a filter ({@code %i} allowed). */
    static Plan sub(int subscribers, String pattern) {
        return new Plan("sub", 0, subscribers, i -> null, i -> pattern.replace("%i", Integer.toString(i)),
                (p, s) -> false);
    }
}
