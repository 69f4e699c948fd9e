package io.courtier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random packets: encode, decode, compare; whole, byte by byte, in random chunks, and many at once. */
class RoundTripTest {

    private static final int PACKETS = 2_000;

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void everyPacketSurvivesEncodeThenDecode(MqttVersion version) {
        RandomPackets random = new RandomPackets(42 + version.level());
        for (int i = 0; i < PACKETS; i++) {
            MqttPacket packet = version.isV5() || i % 15 != 0 ? random.any(version) : random.connect(version);
            byte[] wire = Wire.encode(packet, version);
            MqttPacket decoded = Wire.decodeOne(packet instanceof Connect ? null : version, wire);
            try {
                assertThat(decoded).as("packet %d", i).isEqualTo(packet);
            } finally {
                release(packet);
                release(decoded);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void encodedSizeIsTheLengthOfTheEncoding(MqttVersion version) {
        RandomPackets random = new RandomPackets(11 + version.level());
        for (int i = 0; i < PACKETS; i++) {
            MqttPacket packet = random.any(version);
            try {
                assertThat(MqttEncoder.encodedSize(packet, version)).as("%s", packet)
                        .isEqualTo(Wire.encode(packet, version).length);
            } finally {
                release(packet);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void splitReadsAndCoalescedPacketsDecodeTheSame(MqttVersion version) {
        RandomPackets random = new RandomPackets(7 + version.level());
        List<MqttPacket> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        sent.add(random.connect(version));
        for (int i = 0; i < 300; i++) {
            MqttPacket p = random.any(version);
            if (!(p instanceof Connect)) {
                sent.add(p);
            }
        }
        for (MqttPacket p : sent) {
            stream.writeBytes(Wire.encode(p, version));
        }
        byte[] all = stream.toByteArray();
        Random chunks = new Random(3);
        try {
            // One byte at a time, random chunks, and everything in one buffer.
            assertDecodesInChunks(all, () -> 1, sent);
            assertDecodesInChunks(all, () -> 1 + chunks.nextInt(97), sent);
            assertDecodesInChunks(all, () -> all.length, sent);
        } finally {
            sent.forEach(RoundTripTest::release);
        }
    }

    private static void assertDecodesInChunks(byte[] data, java.util.function.IntSupplier chunk,
                                              List<MqttPacket> expected) {
        EmbeddedChannel ch = Wire.server();
        List<MqttPacket> out = new ArrayList<>();
        try {
            for (int i = 0; i < data.length; ) {
                int n = Math.min(chunk.getAsInt(), data.length - i);
                ch.writeInbound(Unpooled.wrappedBuffer(data, i, n));
                i += n;
                out.addAll(Wire.drain(ch));
            }
            assertThat(out).isEqualTo(expected);
        } finally {
            out.forEach(RoundTripTest::release);
            ch.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void encoderSharesLargePayloadsInsteadOfCopying(MqttVersion version) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttEncoder(version));
        ByteBuf payload = Unpooled.directBuffer(4096).writeZero(4096);
        Publish publish = new Publish("big", 1, false, false, 1, Properties.NONE, payload);
        publish.retain(); // one reference for the write, one kept here
        ch.writeOutbound(publish);
        ByteBuf header = ch.readOutbound();
        ByteBuf body = ch.readOutbound();
        try {
            assertThat(header.readableBytes()).isLessThan(16);
            assertThat(body.unwrap() == payload || body == payload || body.memoryAddress() == payload.memoryAddress())
                    .as("payload is written without a copy").isTrue();
        } finally {
            header.release();
            body.release();
            assertThat(payload.refCnt()).isEqualTo(1);
            payload.release();
            ch.finishAndReleaseAll();
        }
    }

    private static void release(Object packet) {
        if (packet instanceof Publish p) {
            p.release();
        }
    }
}
