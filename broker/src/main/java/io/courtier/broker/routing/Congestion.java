package io.courtier.broker.routing;

/**
 * What routing one message found backed up: the publisher's answer to "should I stop reading?".
 * The caller owns one and passes it down through {@link Router#route} to the targets, which note
 * themselves in it; the caller then {@link #take}s it. One per connection, reused (it lives on that
 * connection's loop, as the routing does), so the hot path allocates nothing for it.
 */
public final class Congestion {

    /** For messages nobody can slow down ($SYS, wills): notes nothing. Safe to share. */
    public static final Congestion IGNORED = new Congestion(true);

    private final boolean ignored;
    private DeliveryTarget congested;
    /**
     * What the message being routed still waits for before its publisher may be told it was
     * accepted: the confirmations of targets that take it asynchronously (a parked session's
     * queue in the cluster, {@link DeliveryTarget#acceptsAsynchronously}). Null, and never
     * allocated, while only local targets are involved.
     */
    private java.util.concurrent.CompletableFuture<?> confirmation;

    public Congestion() {
        this(false);
    }

    private Congestion(boolean ignored) {
        this.ignored = ignored;
    }

    /** A target is backed up; the last one noted is the one the publisher waits for. */
    public void note(DeliveryTarget target) {
        if (!ignored) {
            congested = target;
        }
    }

    /**
     * A target took the message being routed but holds it only once {@code confirmed} completes
     * (exceptionally: it could not): the publisher's acknowledgement waits for it.
     */
    public void confirmLater(java.util.concurrent.CompletableFuture<?> confirmed) {
        if (ignored) {
            return;
        }
        confirmation = confirmation == null ? confirmed
                : java.util.concurrent.CompletableFuture.allOf(confirmation, confirmed);
    }

    /** What the message routed since the last call waits for (null: nothing); clears it. */
    public java.util.concurrent.CompletableFuture<?> takeConfirmation() {
        java.util.concurrent.CompletableFuture<?> c = confirmation;
        confirmation = null;
        return c;
    }

    /** The target noted since the last call, or null; clears it. */
    public DeliveryTarget take() {
        DeliveryTarget t = congested;
        congested = null;
        return t;
    }
}
