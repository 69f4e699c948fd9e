package io.courtier.broker.routing;

import io.courtier.broker.model.Subscriber;
import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries a message gets, listed by {@link Router#plan} before it is stored and
 * {@link Router#dispatch dispatched} unchanged afterwards. Immutable once made; what the store
 * adds (each delivery's queue entry) travels beside it, indexed like it.
 */
public final class Plan {

    /** One delivery: a target, the QoS and RETAIN flag it gets, and its subscription identifiers. */
    public record Delivery(DeliveryTarget target, int qos, boolean retainFlag, int[] subscriptionIds,
                           Subscriber shared) {
    }

    private final List<Delivery> deliveries;
    /** Targets that accept asynchronously, offered the message when it was planned instead. */
    private final int offeredEarly;

    Plan(ArrayList<Delivery> deliveries, int offeredEarly) {
        this.deliveries = deliveries; // made by Router.plan and never touched again
        this.offeredEarly = offeredEarly;
    }

    /** How many targets the message reaches: those planned and those offered it at planning. */
    public int reached() {
        return deliveries.size() + offeredEarly;
    }

    public int size() {
        return deliveries.size();
    }

    public boolean isEmpty() {
        return deliveries.isEmpty();
    }

    public Delivery get(int i) {
        return deliveries.get(i);
    }
}
