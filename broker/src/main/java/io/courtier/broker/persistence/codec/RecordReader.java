package io.courtier.broker.persistence.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link RecordWriter} wrote. A record that ends early or carries an impossible length
 * throws {@link CorruptRecordException}: the store refuses to start rather than guess.
 */
final class RecordReader {
    private final byte[] buf;
    private int pos;

    RecordReader(byte[] buf) {
        this.buf = buf;
    }

    private void need(int n) {
        if (n < 0 || n > buf.length - pos) { // written so a huge n cannot overflow
            throw new CorruptRecordException("record ends early (need " + n + " bytes at " + pos + " of "
                    + buf.length + ")");
        }
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    boolean bool() {
        return u8() != 0;
    }

    int u16() {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int i32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    long i64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    byte[] bytes() {
        int n = i32();
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    String string() {
        int n = i32();
        if (n == -1) {
            return null;
        }
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    int remaining() {
        return buf.length - pos;
    }

    /** Every byte must have been read: trailing bytes mean a record of another format. */
    void end() {
        if (pos != buf.length) {
            throw new CorruptRecordException((buf.length - pos) + " unexpected trailing bytes");
        }
    }
}
