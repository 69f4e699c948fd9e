package io.courtier.broker.persistence.codec;

import io.courtier.codec.Will;

/**
 * A persistent session: its store id (owner of its subscriptions, queue entries and inbound
 * QoS 2 ids), its expiry interval in seconds ({@code -1}: the broker's
 * persistent_client_expiration applies, as for MQTT 3.1.1), whether a client was connected
 * when it was written, when it last disconnected, and the will of the connected client, if any.
 */
public record SessionRecord(long storeId, long expiryInterval, boolean connected, long disconnectedAtMillis,
                            Will will) {
}
