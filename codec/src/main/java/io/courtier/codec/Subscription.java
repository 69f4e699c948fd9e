package io.courtier.codec;

import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with its options. The v5-only options are false/0
 * when decoded from 3.1/3.1.1.
 */
public record Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
                           int retainHandling) {

    public Subscription {
        Objects.requireNonNull(filter, "filter");
    }

    public Subscription(String filter, int qos) {
        this(filter, qos, false, false, 0);
    }
}
