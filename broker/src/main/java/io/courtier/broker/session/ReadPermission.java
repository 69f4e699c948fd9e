package io.courtier.broker.session;

import java.util.concurrent.CompletableFuture;

/**
 * What a client may receive, checked on each delivery. The file ACL knows at once; an
 * authorisation backend may have to be asked ({@link #now} answers null), and the message is
 * then delivered when {@link #later} says yes, without holding the router's loop.
 */
public interface ReadPermission {

    ReadPermission ALL = topic -> Boolean.TRUE;

    /** True or false when known now, null when it has to be asked. Any thread; never blocks. */
    Boolean now(String topic);

    /** The answer when it comes; never completes exceptionally. */
    default CompletableFuture<Boolean> later(String topic) {
        return CompletableFuture.completedFuture(Boolean.TRUE.equals(now(topic)));
    }
}
