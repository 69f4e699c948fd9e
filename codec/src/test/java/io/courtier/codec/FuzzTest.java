package io.courtier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random and mutated byte streams: the decoder returns packets or an MqttDecoderException,
 * never another exception, never a hang, and leaks nothing (leak detection is PARANOID in tests).
 */
class FuzzTest {

    private static final int INPUTS = 3_000;

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void randomAndMutatedInputOnlyEverYieldsPacketsOrTypedErrors(MqttVersion version) {
        Random random = new Random(1234 + version.level());
        RandomPackets packets = new RandomPackets(99 + version.level());
        int errors = 0;
        int decoded = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = i % 4 == 0 ? noise(random) : mutated(random, packets, version);
            EmbeddedChannel ch = i % 2 == 0 ? Wire.server() : Wire.speaking(version);
            try {
                for (int off = 0; off < input.length; ) {
                    int n = Math.min(1 + random.nextInt(16), input.length - off);
                    ch.writeInbound(Unpooled.wrappedBuffer(input, off, n));
                    off += n;
                }
            } catch (DecoderException e) {
                assertThat(e).as("input %d", i).isInstanceOf(MqttDecoderException.class);
                errors++;
            } finally {
                for (MqttPacket p : Wire.drain(ch)) {
                    decoded++;
                    if (p instanceof Publish pub) {
                        pub.release();
                    }
                }
                ch.finishAndReleaseAll();
            }
        }
        // Both outcomes occur, so the fuzzer really exercises the decoder.
        assertThat(errors).isGreaterThan(INPUTS / 10);
        assertThat(decoded).isGreaterThan(INPUTS / 10);
    }

    private static byte[] noise(Random random) {
        byte[] b = new byte[random.nextInt(64)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutated(Random random, RandomPackets packets, MqttVersion version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Wire.encode(packets.connect(version), version));
        for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
            MqttPacket p = packets.any(version);
            out.writeBytes(Wire.encode(p, version));
            if (p instanceof Publish pub) {
                pub.release();
            }
        }
        byte[] b = out.toByteArray();
        for (int m = 0, n = random.nextInt(4); m < n; m++) {
            switch (random.nextInt(3)) {
                case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 1 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                default -> b = java.util.Arrays.copyOf(b, Math.max(1, b.length - random.nextInt(8)));
            }
        }
        return b;
    }
}
