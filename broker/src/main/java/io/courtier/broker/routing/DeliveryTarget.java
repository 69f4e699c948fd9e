package io.courtier.broker.routing;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;

/**
 * Where the {@link Router} hands a message that matched a subscription: a local session today,
 * and, through the same methods, a target that forwards elsewhere (a bridge's remote broker,
 * another cluster node). The Router finds targets by client id ({@link TargetDirectory}, and
 * {@link Router#attachRemote} for those that are not sessions) and knows nothing else of them.
 * <p>
 * The Router calls these on the publisher's thread; an implementation hands the work to its own
 * thread (a session to its event loop) and never blocks. No method consumes the caller's reference
 * to a message: a target that keeps it takes its own.
 */
public interface DeliveryTarget {

    /** The id its subscriptions carry in the topic tree. */
    String clientId();

    /**
     * Whether the target takes a message by writing it somewhere that confirms later (a parked
     * session's queue in the cluster): it notes each confirmation in the publisher's
     * {@link Congestion#confirmLater}, and the publisher's acknowledgement waits for it. The router
     * offers such a target a stored message when it plans it, so its write runs beside the
     * store's. False for sessions and peers.
     */
    default boolean acceptsAsynchronously() {
        return false;
    }

    /**
     * Whether a target attached with {@link Router#attachRemote} also takes messages another
     * cluster node forwarded here (other remote targets never do: a forwarded message is not
     * forwarded again). A session parked by this node takes them for a while, since peers still
     * send this node what its session used to get; it keeps a message that reaches it by two
     * paths once, by {@link Message#clusterOrigin}.
     */
    default boolean takesForwarded() {
        return false;
    }

    /** Whether it can take a message now; shared subscriptions prefer members that can. */
    boolean isConnected();

    /**
     * The target's read ACL for a topic: true or false when known now, null when an
     * authorisation backend has to be asked first ({@link #offerWhenAllowed}).
     */
    Boolean mayReadNow(String topic);

    /** As {@link #offer}, once an authorisation backend allows it (dropped if it does not). */
    void offerWhenAllowed(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared);

    /**
     * Hands a message over. When the target is backed up, it notes itself in {@code congestion}
     * so that the publisher can stop reading until it catches up ({@link #whenRelieved}).
     */
    void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
               Congestion congestion);

    /**
     * The id under which the target keeps a durable queue (a persistent session with a store),
     * 0 when it keeps none: a stored message gets a queue entry for each target with an id.
     */
    long storeId();

    /**
     * A stored message will be {@link #dispatchPlanned dispatched} to it once the group commit
     * has it: counted from now in its backlog (and in {@code congestion} when that presses).
     */
    void notePlanned(Congestion congestion);

    /** A planned delivery that will not come: its message could not be stored. */
    void plannedDropped();

    /**
     * A delivery {@link #notePlanned} counted, after the store has it. {@code entrySeq} is its
     * queue entry (0 when none was stored), {@code batch} the group commit that stored it. A target
     * whose read ACL could not answer when the message was planned ({@link #mayReadNow} null) asks
     * now, before it sends, and forgets the entry if the answer is no.
     */
    void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                         long entrySeq, long batch);

    /** Runs {@code resume} once, on any thread, when publishers it held back may read again. */
    void whenRelieved(Runnable resume);
}
