/**
 * Durable state (DESIGN.md, "Durability contract").
 *
 * <p><b>Threads.</b> One persistence thread owns RocksDB. Event loops describe changes as
 * {@link io.courtier.broker.persistence.Store.Change}s (values that carry message bytes are
 * encoded on the loop), put them on a lock-free queue and go on. The thread takes everything
 * that queued up while its previous write was syncing and writes it as one synced
 * {@code WriteBatch} (group commit), then hands each callback back to the loop it came from,
 * in submission order. Reads of long queues go through the same queue, after the writes
 * submitted before them.
 *
 * <p><b>The promise and routing.</b> A QoS 1/2 PUBLISH is routed before it is stored: the
 * publisher's loop asks the router which sessions would get it (a lock-free topic tree read),
 * and one change stores the message once, a queue entry for each persistent target that gets
 * it at QoS 1/2 (connected or not), the publisher's inbound QoS 2 id and the retained copy. The
 * PUBACK/PUBREC goes out, and the same plan is dispatched to the sessions' loops, only when that
 * batch is on disk. A session that subscribes after the plan misses the message, exactly as if
 * it had subscribed a moment later; a session that ended meanwhile drops its entry.
 *
 * <p><b>Records</b> (column families; numbers big-endian so keys sort numerically):
 * {@code messages} and {@code refs} by message id (a message is stored once, its reference
 * count next to it; it goes with its last entry); {@code entries} by session store id + sequence
 * (delivery QoS, RETAIN flag, packet id once sent, PUBREL sent); {@code inbound} by store id +
 * packet id; {@code subscriptions} by store id + filter; {@code sessions} by client id (store id,
 * expiry, connected, disconnect time, will); {@code retained} by topic; {@code default} holds the
 * format marker. Sessions own their records through a store id that is never reused, so records
 * a replaced session left behind are recognised and removed at start-up.
 *
 * <p><b>Exactly once across a crash.</b> An outbound QoS 2 PUBLISH is sent only after its packet
 * id is stored, a PUBREL only after the PUBREC is, and PUBCOMP only after the inbound id is
 * forgotten; other session writes (QoS 1 packet ids, acknowledged entries) are not waited for:
 * losing them only causes a permitted QoS 1 resend.
 *
 * <p><b>Files.</b> {@code persistence_location/persistence_file} is a small anchor file and the
 * RocksDB directory is beside it ({@link io.courtier.broker.persistence.PersistenceFile}); a
 * Mosquitto database found at that path is imported once, through {@link StoreBatch}, before the
 * store opens ({@code MosquittoImport}).
 *
 * <p><b>Long queues.</b> A persistent session keeps at most {@code Tunables.memoryWindow} (1,000 by default)
 * queued messages in memory; the rest stays on disk and is read back in order. Each delivery
 * carries the number of the group commit that stored it, and each read the number of the last
 * commit it saw, so a delivery that a read already brought in is not queued twice.
 */
package io.courtier.broker.persistence;
