package io.courtier.broker.persistence.codec;

/**
 * One message's place in one session's queue: the message it refers to, the delivery QoS and
 * RETAIN flag, and once sent its packet id ({@code 0} while queued) and whether PUBREL went out.
 */
public record QueueEntry(long messageId, int qos, boolean retainFlag, int packetId, boolean pubrelSent) {

    public boolean inflight() {
        return packetId != 0;
    }
}
