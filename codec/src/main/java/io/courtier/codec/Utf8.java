package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for MQTT strings (MQTT 3.1.1 section 1.5.3, MQTT 5.0 section 1.5.4): well-formed
 * per RFC 3629 (no overlong forms, nothing above U+10FFFF, no UTF-16 surrogates) and no U+0000
 * [MQTT-1.5.3-1], [MQTT-1.5.3-2]. The JDK's decoder replaces bad input silently, so we check first.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code len} bytes at {@code index} are strict MQTT UTF-8 (a payload's check: controls allowed). */
    public static boolean isValid(ByteBuf buf, int index, int len) {
        return isValid(buf, index, len, false);
    }

    /**
     * Whether {@code len} bytes at {@code index} are an MQTT UTF-8 string as Mosquitto accepts it:
     * strict UTF-8 and none of the control characters U+0001..U+001F and U+007F..U+009F, which
     * the standard says a string SHOULD NOT hold (MQTT 5.0 1.5.4) and Mosquitto refuses as
     * malformed in client identifiers, user names, topics and properties.
     */
    public static boolean isValidString(ByteBuf buf, int index, int len) {
        return isValid(buf, index, len, true);
    }

    private static boolean isValid(ByteBuf buf, int index, int len, boolean refuseControls) {
        int end = index + len;
        int i = index;
        while (i < end) {
            int b = buf.getByte(i) & 0xFF;
            if (b < 0x80) {
                if (b == 0 || refuseControls && (b < 0x20 || b == 0x7F)) {
                    return false;
                }
                i++;
                continue;
            }
            int need;
            int min;
            int cp;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
                cp = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
                cp = b & 0x07;
            } else {
                return false; // continuation byte first, C0/C1 overlong leads, F5..FF
            }
            if (i + need >= end) {
                return false; // truncated sequence
            }
            for (int k = 1; k <= need; k++) {
                int c = buf.getByte(i + k) & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            if (refuseControls && cp <= 0x9F) {
                return false; // U+0080..U+009F, the C1 controls
            }
            i += need + 1;
        }
        return true;
    }

    /** Whether a Java string encodes to strict MQTT UTF-8 (no U+0000, no lone surrogates). */
    static boolean isValid(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Number of bytes {@code s} takes in UTF-8 (s assumed valid). */
    static int encodedLength(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c)) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Decodes bytes already checked by {@link #isValid(ByteBuf, int, int)}. */
    static String decode(ByteBuf buf, int index, int len) {
        return buf.toString(index, len, StandardCharsets.UTF_8);
    }
}
