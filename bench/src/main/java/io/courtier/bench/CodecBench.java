package io.courtier.bench;

import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding and encoding a QoS 1 PUBLISH with a 64-byte payload, the shape of the bench's traffic.
 * One decoder per trial, as one per connection: decodePublish repeats one topic (the decoder's
 * topic cache hits), decodePublishTopicChanges alternates two topics of equal length (it never
 * hits). Note: on JMH's thread, which is not a Netty FastThreadLocalThread, JFR shows Netty 4.2's
 * Recycler making a new PooledUnsafeDirectByteBuf and PooledSlicedByteBuf per op; both count here.
 * encodePublishV5 and encodePublishV5Aliased write an MQTT 5 PUBLISH through a connection's
 * encoder (an EmbeddedChannel, whose own costs are in both), without and with an outbound topic
 * alias already assigned to its topic: the difference is what aliasing costs per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CodecBench {

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Publish publish;
    private byte[] wire;
    private byte[] otherWire;
    private boolean other;
    private EmbeddedChannel decoder;
    private EmbeddedChannel v5Encoder;
    private EmbeddedChannel v5AliasEncoder;

    @Setup
    public void prepare() {
        publish = new Publish("site7/dev42/temp", 1, false, false, 17, Properties.NONE,
                Unpooled.wrappedBuffer(new byte[64]));
        ByteBuf encoded = MqttEncoder.encode(alloc, publish, MqttVersion.V3_1_1);
        wire = new byte[encoded.readableBytes()];
        encoded.readBytes(wire);
        encoded.release();
        ByteBuf otherEncoded = MqttEncoder.encode(alloc, new Publish("site7/dev43/temp", 1, false, false, 18,
                Properties.NONE, Unpooled.wrappedBuffer(new byte[64])), MqttVersion.V3_1_1);
        otherWire = new byte[otherEncoded.readableBytes()];
        otherEncoded.readBytes(otherWire);
        otherEncoded.release();
        decoder = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V3_1_1));
        v5Encoder = new EmbeddedChannel(new MqttEncoder(MqttVersion.V5));
        MqttEncoder aliasing = new MqttEncoder(MqttVersion.V5);
        aliasing.useTopicAliases(10);
        v5AliasEncoder = new EmbeddedChannel(aliasing);
    }

    @TearDown
    public void close() {
        decoder.finishAndReleaseAll();
        v5Encoder.finishAndReleaseAll();
        v5AliasEncoder.finishAndReleaseAll();
    }

    @Benchmark
    public int encodePublishV5() {
        return encodeThrough(v5Encoder);
    }

    @Benchmark
    public int encodePublishV5Aliased() {
        return encodeThrough(v5AliasEncoder);
    }

    private int encodeThrough(EmbeddedChannel channel) {
        channel.writeOutbound(publish.retain()); // the encoder releases one reference, as on a connection
        ByteBuf out = channel.readOutbound();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public int encodePublish() {
        ByteBuf out = MqttEncoder.encode(alloc, publish, MqttVersion.V3_1_1);
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public int decodePublish() {
        return decode(wire);
    }

    @Benchmark
    public int decodePublishTopicChanges() {
        other = !other;
        return decode(other ? otherWire : wire);
    }

    private int decode(byte[] bytes) {
        ByteBuf in = alloc.directBuffer(bytes.length);
        in.writeBytes(bytes);
        decoder.writeInbound(in);
        Publish p = decoder.readInbound();
        int id = p.packetId();
        ReferenceCountUtil.release(p);
        return id;
    }
}
