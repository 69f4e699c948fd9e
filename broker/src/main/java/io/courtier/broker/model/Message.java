package io.courtier.broker.model;

import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * An accepted application message on its way to subscribers: one immutable payload shared by
 * every delivery. The payload is copied once out of the socket's read buffer, into a buffer of
 * its exact size, so that a message held in a queue never pins a whole read buffer.
 * Reference counted: every holder (a queue entry, an in-flight slot, a routing task) owns one
 * reference and releases it.
 * <p>
 * An MQTT 5 Message Expiry Interval becomes an absolute wall-clock deadline when the message is
 * accepted; each PUBLISH sent carries the time left [MQTT-3.3.2-6], and a message past its
 * deadline is never sent [MQTT-3.3.2-5]. An interval of 0 is treated as "does not expire".
 */
public final class Message {

    private final String topic;
    private final int qos;
    private final boolean retain;
    private final Properties properties;
    private final ByteBuf payload;
    private final String publisherId;
    private final long expiresAtMillis;
    /** The publisher's user name, for a retained copy's check_retain_source; set before the message is shared. */
    private String publisherUsername;
    private long storedId;
    /**
     * In a cluster: the id the node that accepted the message gave it ("NODE:SEQ") the first time
     * it left for another node or a parked session's queue, so that a queue reached by two paths
     * (a message forwarded to the node that parks a session, and appended by its publisher's node)
     * keeps it once. Null on a single broker and for messages that never leave their node.
     */
    private volatile String clusterOrigin;
    private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<Message, String> ORIGIN =
            java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(Message.class, String.class,
                    "clusterOrigin");

    /** A message accepted now: its expiry deadline, if any, counts from now. */
    public Message(String topic, int qos, boolean retain, Properties properties, ByteBuf payload, String publisherId) {
        this(topic, qos, retain, properties, payload, publisherId, deadline(properties, System.currentTimeMillis()));
    }

    /** A message with a known deadline ({@code expiresAtMillis} 0 = never), e.g. a retained one. */
    public Message(String topic, int qos, boolean retain, Properties properties, ByteBuf payload, String publisherId,
                   long expiresAtMillis) {
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.properties = properties;
        this.payload = payload;
        this.publisherId = publisherId;
        this.expiresAtMillis = expiresAtMillis;
    }

    /** The wall-clock deadline of a message accepted at {@code nowMillis}, or 0 if it does not expire. */
    public static long deadline(Properties properties, long nowMillis) {
        Long interval = properties.fourByte(PropertyId.MESSAGE_EXPIRY_INTERVAL);
        return interval == null || interval == 0 ? 0 : nowMillis + interval * 1000;
    }

    /**
     * Payloads up to this size are copied to the Java heap: a message is released on whichever
     * loop sends it last, and a pooled direct buffer freed on another thread than the one that
     * allocated it goes back through a locked arena (the profile showed the allocation and the
     * cross-thread free of small pooled payloads as a quarter of the broker's CPU under fan-in).
     * A small heap array is a bump of the allocation pointer and dies young.
     */
    static final int HEAP_PAYLOAD_MAX = 1024;

    /** A message from a received PUBLISH; copies its payload, does not consume the PUBLISH. */
    public static Message of(Publish publish, String publisherId, ByteBufAllocator alloc) {
        return of(publish, publish.topic(), publish.properties(), publisherId, alloc);
    }

    /** As {@link #of(Publish, String, ByteBufAllocator)}, under another topic and properties (a bridge's). */
    public static Message of(Publish publish, String topic, Properties properties, String publisherId,
                             ByteBufAllocator alloc) {
        ByteBuf src = publish.payload();
        int size = src.readableBytes();
        ByteBuf copy;
        if (size <= HEAP_PAYLOAD_MAX) {
            byte[] bytes = new byte[size];
            src.getBytes(src.readerIndex(), bytes);
            copy = Unpooled.wrappedBuffer(bytes);
        } else {
            copy = alloc.buffer(size, size);
            copy.writeBytes(src, src.readerIndex(), size);
        }
        return new Message(topic, publish.qos(), publish.retained(), properties, copy, publisherId);
    }

    /** The PUBLISH for one delivery; holds its own reference to the payload. */
    public Publish toPublish(int qos, boolean retainFlag, boolean dup, int packetId) {
        return toPublish(qos, retainFlag, dup, packetId, NO_IDS);
    }

    public static final int[] NO_IDS = new int[0];

    /**
     * The PUBLISH for one delivery with the subscription identifiers of the subscriptions it
     * matched [MQTT-3.3.4-3] and the expiry time left; holds its own reference to the payload.
     * Other properties go out unchanged and in order [MQTT-3.3.2-17] [MQTT-3.3.2-18].
     */
    public Publish toPublish(int qos, boolean retainFlag, boolean dup, int packetId, int[] subscriptionIds) {
        Properties out = properties;
        if (expiresAtMillis != 0 || subscriptionIds.length > 0) {
            Properties.Builder b = properties.toBuilder();
            if (expiresAtMillis != 0) {
                b.set(PropertyId.MESSAGE_EXPIRY_INTERVAL, remainingSeconds(System.currentTimeMillis()));
            }
            for (int id : subscriptionIds) {
                b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
            }
            out = b.build();
        }
        // The payload buffer itself, one more reference: an outbound PUBLISH's payload is only read
        // at absolute indexes (the encoder copies it, or sends its own duplicate when large), so
        // every delivery can share the buffer without a duplicate object per subscriber.
        return new Publish(topic, qos, retainFlag, dup, packetId, out, payload.retain());
    }

    /** Whole seconds left before expiry, rounded up so a live message never says 0. */
    long remainingSeconds(long nowMillis) {
        long left = expiresAtMillis - nowMillis;
        return Math.max(1, (left + 999) / 1000);
    }

    /** Whether the message has expired and must not be sent [MQTT-3.3.2-5]. */
    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** The wall-clock expiry deadline, or 0 when the message does not expire. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    public String topic() {
        return topic;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public Properties properties() {
        return properties;
    }

    /** The shared payload; read it without changing its indexes. */
    public ByteBuf payload() {
        return payload;
    }

    public int payloadSize() {
        return payload.readableBytes();
    }

    public String publisherId() {
        return publisherId;
    }

    public String publisherUsername() {
        return publisherUsername;
    }

    /** Records the publisher's user name; call before the message is routed (it is not stored with queued copies). */
    public Message publishedBy(String username) {
        this.publisherUsername = username;
        return this;
    }

    /** The message's id in the store once queue entries refer to it; 0 when it is not stored. */
    public long storedId() {
        return storedId;
    }

    /** Set by the publisher's loop before the message is handed to any session. */
    public void storedAs(long id) {
        this.storedId = id;
    }

    /** The message's cluster-wide id, or null when it has none yet. */
    public String clusterOrigin() {
        return clusterOrigin;
    }

    /** Gives the message {@code origin} unless it has one already; returns the one it keeps. Any thread. */
    public String clusterOrigin(String origin) {
        return ORIGIN.compareAndSet(this, null, origin) ? origin : clusterOrigin;
    }

    public Message retainRef() {
        payload.retain();
        return this;
    }

    public void release() {
        payload.release();
    }
}
