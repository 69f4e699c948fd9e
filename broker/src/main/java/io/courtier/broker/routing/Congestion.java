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

    /** The target noted since the last call, or null; clears it. */
    public DeliveryTarget take() {
        DeliveryTarget t = congested;
        congested = null;
        return t;
    }
}
