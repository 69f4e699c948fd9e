package io.courtier.broker.model;

/**
 * One subscription in the topic tree. {@code shareGroup} is null unless the filter was
 * {@code $share/GROUP/FILTER}; {@code filter} never carries that prefix. {@code subscriptionId}
 * is 0 when none was given (MQTT 5 only).
 */
public record Subscriber(String clientId, String shareGroup, String filter, int qos, boolean noLocal,
                         boolean retainAsPublished, int retainHandling, int subscriptionId) {

    /** Whether this is the same subscription slot (same client, group and filter) as another. */
    public boolean sameSlot(String otherClientId, String otherGroup) {
        return clientId.equals(otherClientId) && java.util.Objects.equals(shareGroup, otherGroup);
    }
}
