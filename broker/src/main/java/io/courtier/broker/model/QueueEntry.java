package io.courtier.broker.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message's place in one session's queue: the message it refers to, the delivery QoS and
 * RETAIN flag, the MQTT 5 subscription identifiers it goes out with, and once sent its packet
 * id ({@code 0} while queued) and whether PUBREL went out.
 */
public record QueueEntry(long messageId, int qos, boolean retainFlag, int packetId, boolean pubrelSent,
                         int[] subscriptionIds) {

    private static final int[] NONE = new int[0];

    public QueueEntry(long messageId, int qos, boolean retainFlag, int packetId, boolean pubrelSent) {
        this(messageId, qos, retainFlag, packetId, pubrelSent, NONE);
    }

    public QueueEntry {
        subscriptionIds = subscriptionIds == null ? NONE : subscriptionIds;
    }

    public boolean inflight() {
        return packetId != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueEntry e && messageId == e.messageId && qos == e.qos && retainFlag == e.retainFlag
                && packetId == e.packetId && pubrelSent == e.pubrelSent
                && Arrays.equals(subscriptionIds, e.subscriptionIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, qos, retainFlag, packetId, pubrelSent) * 31 + Arrays.hashCode(subscriptionIds);
    }

    @Override
    public String toString() {
        return "QueueEntry[message=" + messageId + ", qos=" + qos + ", retain=" + retainFlag + ", packetId="
                + packetId + ", pubrelSent=" + pubrelSent + ", subscriptionIds=" + Arrays.toString(subscriptionIds)
                + "]";
    }
}
