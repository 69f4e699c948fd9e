package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The last PUBLISH topic name one connection sent, as its wire bytes and its String. Devices
 * publish to the same topic again and again; when the next topic's bytes are the same, the
 * decoder hands back the same String instead of validating and decoding a new one.
 *
 * <p>Only bytes that passed the strict UTF-8 check (MQTT 3.1.1 section 1.5.3, MQTT 5.0 section
 * 1.5.4) are ever remembered, so a hit needs no check: equal bytes are equally valid. One per
 * decoder, used on its channel's event loop only, hence no synchronisation.
 */
final class TopicCache {

    /**
     * Longer topics are decoded each time rather than kept: a remembered topic lives as long as
     * the connection, and a topic may be up to 64 KiB, which times many connections is memory an
     * idle client would pin for nothing. Real topics are far shorter.
     */
    static final int MAX_CACHED_BYTES = 256;

    /**
     * The remembered topic's bytes are the first {@code length} of {@code bytes}, which is
     * reused from miss to miss (grown, never past the cap), so a miss costs the new String only.
     * {@code view} wraps it so that ByteBufUtil.equals can compare a word at a time.
     */
    private byte[] bytes = NONE;
    private static final byte[] NONE = new byte[0];
    private ByteBuf view = Unpooled.EMPTY_BUFFER;
    private int length = -1;
    private String topic;

    /** The remembered String if the {@code len} bytes at {@code index} are its bytes, else null. */
    String lookup(ByteBuf buf, int index, int len) {
        if (len != length || !ByteBufUtil.equals(buf, index, view, 0, len)) {
            return null;
        }
        return topic;
    }

    /** Remembers a topic whose {@code len} bytes at {@code index} have been validated and decoded to {@code s}. */
    void remember(ByteBuf buf, int index, int len, String s) {
        if (len > MAX_CACHED_BYTES) {
            return; // the last short topic stays: it may well come again
        }
        if (len > bytes.length) {
            bytes = new byte[Math.min(MAX_CACHED_BYTES, Math.max(len, Math.max(32, bytes.length * 2)))];
            view = Unpooled.wrappedBuffer(bytes);
        }
        buf.getBytes(index, bytes, 0, len);
        length = len;
        topic = s;
    }
}
