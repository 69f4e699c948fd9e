package io.courtier.broker.mqtt5;

import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Pingreq;
import io.courtier.codec.Pingresp;
import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kit's {@link RawClient} speaking MQTT 5 through our codec, for what a well-behaved client
 * library will not do (malformed packets, withheld acknowledgements) when a test wants to read
 * the broker's answers as packets with their properties rather than as bytes.
 */
final class CodecClient implements AutoCloseable {

    private final RawClient raw;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V5));

    CodecClient(int port) throws IOException {
        raw = RawClient.open(port);
    }

    /** CONNECT with clean start and these properties; fails unless the CONNACK accepts. */
    static CodecClient connect(int port, String clientId, Properties properties) throws IOException {
        CodecClient c = new CodecClient(port);
        c.send(new Connect(MqttVersion.V5, clientId, true, 0, null, null, null, properties));
        MqttPacket connack = c.next();
        if (!(connack instanceof Connack ack) || ack.reasonCode() != 0) {
            throw new IOException("not connected: " + connack);
        }
        return c;
    }

    void send(MqttPacket packet) throws IOException {
        ByteBuf buf = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, packet, MqttVersion.V5);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        ReferenceCountUtil.release(packet);
        sendBytes(bytes);
    }

    void sendBytes(byte[] bytes) throws IOException {
        raw.send(bytes);
    }

    /** The next packet, waiting up to 5 seconds; null if the connection closed first. */
    MqttPacket next() throws IOException {
        RawClient.Packet p = raw.readOrNullIfClosed(5_000);
        if (p == null) {
            return null;
        }
        decoder.writeInbound(Unpooled.wrappedBuffer(MqttBytes.packet(p.firstByte(), p.body())));
        return (MqttPacket) decoder.readInbound();
    }

    /** The next {@code n} PUBLISH packets (other packets in between are dropped). */
    List<Publish> publishes(int n) throws IOException {
        List<Publish> out = new ArrayList<>();
        while (out.size() < n) {
            MqttPacket p = next();
            if (p == null) {
                throw new IOException("closed after " + out.size() + " of " + n + " PUBLISH packets");
            }
            if (p instanceof Publish pub) {
                out.add(pub);
            } else {
                ReferenceCountUtil.release(p);
            }
        }
        return out;
    }

    /**
     * What else the broker has sent: a PINGREQ's answer marks the end. Best effort for "nothing
     * more": a delivery still queued on another event loop may come after the PINGRESP.
     */
    List<MqttPacket> rest() throws IOException {
        send(Pingreq.INSTANCE);
        List<MqttPacket> out = new ArrayList<>();
        for (MqttPacket p = next(); !(p instanceof Pingresp); p = next()) {
            if (p == null) {
                throw new IOException("closed before PINGRESP");
            }
            out.add(p);
        }
        return out;
    }

    /** Whether the broker closed the connection (reads until end of stream). */
    boolean closedByBroker() throws IOException {
        while (true) {
            MqttPacket p = next();
            if (p == null) {
                return true;
            }
            ReferenceCountUtil.release(p);
        }
    }

    @Override
    public void close() throws IOException {
        raw.close();
        decoder.finishAndReleaseAll();
    }
}
