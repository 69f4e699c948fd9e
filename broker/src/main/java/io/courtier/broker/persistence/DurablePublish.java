package io.courtier.broker.persistence;

import io.courtier.broker.persistence.codec.MessageCodec;
import io.courtier.broker.model.QueueEntry;
import io.courtier.broker.persistence.codec.RetainedCodec;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.routing.Plan;
import io.courtier.broker.model.Message;

/**
 * The store's half of accepting a QoS 1/2 PUBLISH (DESIGN.md, "Durability contract"). The publisher's
 * loop has planned the message's deliveries; this builds, on that loop and without locks, the
 * one change that makes the acknowledgement safe: the message (once), a queue entry for each
 * persistent session that gets it at QoS 1/2 (online or not: an online one may crash before
 * it acknowledges), the publisher's inbound QoS 2 id, and the retained copy. The store writes
 * it in the next group commit; only then is the PUBLISH acknowledged and the plan dispatched,
 * each delivery carrying its entry's sequence so the session can remove it when acknowledged.
 */
public final class DurablePublish {

    /** What the group commit writes. */
    public final Store.Change change;
    /** Plan delivery i's queue entry, 0 for a delivery with none (QoS 0, or a target without a store id). */
    public final long[] entrySeqs;

    private DurablePublish(Store.Change change, long[] entrySeqs) {
        this.change = change;
        this.entrySeqs = entrySeqs;
    }

    /**
     * @param publisherStoreId the publisher's session store id, 0 if it is not persistent
     * @param inboundPacketId  the QoS 2 packet id to hold until PUBREL, 0 for none
     */
    public static DurablePublish prepare(Store store, Message message, Plan plan, long publisherStoreId,
                                         int inboundPacketId, boolean storeRetained) {
        int references = 0;
        for (int i = 0; i < plan.size(); i++) {
            Plan.Delivery t = plan.get(i);
            if (t.qos() > 0 && t.target().storeId() != 0) {
                references++;
            }
        }
        final byte[] encoded;
        final long messageId;
        final long[] entrySeqs = new long[plan.size()];
        final long[] owners = new long[references];
        final long[] seqs = new long[references];
        final QueueEntry[] entries = new QueueEntry[references];
        if (references > 0) {
            messageId = store.nextId();
            message.storedAs(messageId);
            encoded = MessageCodec.encode(message);
            int r = 0;
            for (int i = 0; i < plan.size(); i++) {
                Plan.Delivery t = plan.get(i);
                long owner = t.target().storeId();
                if (t.qos() > 0 && owner != 0) {
                    entrySeqs[i] = store.nextId();
                    owners[r] = owner;
                    seqs[r] = entrySeqs[i];
                    entries[r] = new QueueEntry(messageId, t.qos(), t.retainFlag(), 0, false, t.subscriptionIds());
                    r++;
                }
            }
        } else {
            messageId = 0;
            encoded = null;
        }
        final byte[] retained = storeRetained && message.retain() ? retainedValue(message) : null;
        final boolean clearRetained = storeRetained && message.retain() && message.payloadSize() == 0;
        final String topic = message.topic();
        final boolean inbound = publisherStoreId != 0 && inboundPacketId != 0;
        return new DurablePublish(batch -> {
            if (encoded != null) {
                batch.putMessage(messageId, encoded, owners.length);
                for (int i = 0; i < owners.length; i++) {
                    batch.putEntry(owners[i], seqs[i], entries[i]);
                }
            }
            if (inbound) {
                batch.putInbound(publisherStoreId, inboundPacketId);
            }
            if (clearRetained) {
                batch.removeRetained(topic);
            } else if (retained != null) {
                batch.putRetained(topic, retained);
            }
        }, entrySeqs);
    }

  /** The retained record for a message with RETAIN set (null for an empty payload: a removal). */
    public static byte[] retainedValue(Message m) {
        if (m.payloadSize() == 0) {
            return null;
        }
        byte[] payload = new byte[m.payloadSize()];
        m.payload().getBytes(m.payload().readerIndex(), payload);
        // Its expiry deadline too: a retained message that expires while the broker is down is gone after the restart.
        return RetainedCodec.encode(new RetainedMessage(m.topic(), payload, m.qos(), m.properties(),
                System.currentTimeMillis(), m.expiresAtMillis(), m.publisherId(), m.publisherUsername()));
    }

    /** A retained change outside a QoS 1/2 publish (QoS 0, wills): written without waiting. */
    public static Store.Change retained(Message m) {
        byte[] value = retainedValue(m);
        String topic = m.topic();
        return value == null ? b -> b.removeRetained(topic) : b -> b.putRetained(topic, value);
    }
}
