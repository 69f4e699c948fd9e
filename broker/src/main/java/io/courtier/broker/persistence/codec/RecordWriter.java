package io.courtier.broker.persistence.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends fixed-width big-endian numbers, flags and length-prefixed strings to a growing byte array. */
final class RecordWriter {
    private byte[] buf;
    private int pos;

    /** @param capacity the expected size; exact for keys, so {@link #toBytes()} need not copy */
    RecordWriter(int capacity) {
        buf = new byte[capacity];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    RecordWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    RecordWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    RecordWriter u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    RecordWriter i32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    RecordWriter i64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** Length-prefixed bytes (4-byte length). */
    RecordWriter bytes(byte[] b) {
        i32(b.length);
        return raw(b, 0, b.length);
    }

    /**
     * Length-prefixed bytes (4-byte length) copied straight from a buffer's readable bytes,
     * without touching its indexes (other threads may be reading it).
     */
    RecordWriter bytes(ByteBuf b) {
        int len = b.readableBytes();
        i32(len);
        ensure(len);
        b.getBytes(b.readerIndex(), buf, pos, len);
        pos += len;
        return this;
    }

    RecordWriter raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** A string that may be null: length -1 marks null. */
    RecordWriter string(String s) {
        if (s == null) {
            return i32(-1);
        }
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toBytes() {
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
}
