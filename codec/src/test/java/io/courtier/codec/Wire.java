package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: bytes in, packets out, through a real Netty pipeline. */
final class Wire {
    private Wire() {
    }

    /** Bytes from ints, so test vectors read as the wire does. */
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** UTF-8 string as it goes on the wire: 2-byte length then the bytes. */
    static int[] str(String s) {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] out = new int[utf8.length + 2];
        out[0] = utf8.length >> 8;
        out[1] = utf8.length & 0xFF;
        for (int i = 0; i < utf8.length; i++) {
            out[i + 2] = utf8[i] & 0xFF;
        }
        return out;
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    static int[] ints(int... v) {
        return v;
    }

    /** A whole packet: first byte, the remaining length computed from the parts, then the parts. */
    static byte[] pkt(int first, int[]... body) {
        int[] content = concat(body);
        int n = content.length;
        int[] length = n < 128 ? ints(n) : n < 16384 ? ints((n & 0x7F) | 0x80, n >> 7) : null;
        return bytes(concat(ints(first), length, content));
    }

    /** A server-side decoder channel (version learned from CONNECT). */
    static EmbeddedChannel server() {
        return new EmbeddedChannel(new MqttDecoder(0));
    }

    /** A decoder channel that already speaks a version (after CONNECT, or a client). */
    static EmbeddedChannel speaking(MqttVersion version) {
        return new EmbeddedChannel(new MqttDecoder(0, version));
    }

    /** Feeds bytes in chunks of the given sizes (cycled) and returns every decoded packet. */
    static List<MqttPacket> feed(EmbeddedChannel ch, byte[] data, int chunk) {
        for (int i = 0; i < data.length; i += chunk) {
            int n = Math.min(chunk, data.length - i);
            ch.writeInbound(Unpooled.wrappedBuffer(data, i, n));
        }
        return drain(ch);
    }

    static List<MqttPacket> drain(EmbeddedChannel ch) {
        List<MqttPacket> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add((MqttPacket) o);
        }
        return out;
    }

    /** Decodes exactly one packet from whole bytes in a version (null = server side, expects CONNECT). */
    static MqttPacket decodeOne(MqttVersion version, byte[] data) {
        EmbeddedChannel ch = version == null ? server() : speaking(version);
        try {
            List<MqttPacket> packets = feed(ch, data, data.length);
            if (packets.size() != 1) {
                throw new AssertionError("expected one packet, got " + packets);
            }
            return packets.get(0);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    static byte[] encode(MqttPacket packet, MqttVersion version) {
        ByteBuf buf = MqttEncoder.encode(io.netty.buffer.ByteBufAllocator.DEFAULT, packet, version);
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return b;
        } finally {
            buf.release();
        }
    }

    static void release(List<MqttPacket> packets) {
        for (MqttPacket p : packets) {
            if (p instanceof Publish pub) {
                pub.release();
            }
        }
    }
}
