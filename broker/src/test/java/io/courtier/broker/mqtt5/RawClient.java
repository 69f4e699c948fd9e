package io.courtier.broker.mqtt5;

import io.courtier.codec.Connect;
import io.courtier.codec.MqttDecoder;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A bare socket speaking MQTT 5 through our codec, for what a well-behaved client library will
 * not do: malformed packets, withheld acknowledgements, exact packet inspection.
 */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(0, MqttVersion.V5));

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(200);
        in = socket.getInputStream();
    }

    /** CONNECT with clean start and these properties; returns the CONNACK. */
    static RawClient connect(int port, String clientId, Properties properties) throws IOException {
        RawClient c = new RawClient(port);
        c.send(new Connect(MqttVersion.V5, clientId, true, 0, null, null, null, properties));
        MqttPacket connack = c.next();
        if (!(connack instanceof io.courtier.codec.Connack ack) || ack.reasonCode() != 0) {
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
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next packet, waiting up to 5 seconds; null if the connection closed first. */
    MqttPacket next() throws IOException {
        long deadline = System.currentTimeMillis() + 5_000;
        byte[] buf = new byte[8192];
        while (true) {
            Object decoded = decoder.readInbound();
            if (decoded != null) {
                return (MqttPacket) decoded;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("no packet within 5 s");
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return null; // reset by the broker
            }
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(buf, 0, n).copy());
        }
    }

    /** The next {@code n} PUBLISH packets (other packets in between are dropped). */
    java.util.List<io.courtier.codec.Publish> publishes(int n) throws IOException {
        java.util.List<io.courtier.codec.Publish> out = new java.util.ArrayList<>();
        while (out.size() < n) {
            MqttPacket p = next();
            if (p == null) {
                throw new IOException("closed after " + out.size() + " of " + n + " PUBLISH packets");
            }
            if (p instanceof io.courtier.codec.Publish pub) {
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
    java.util.List<MqttPacket> rest() throws IOException {
        send(io.courtier.codec.Pingreq.INSTANCE);
        java.util.List<MqttPacket> out = new java.util.ArrayList<>();
        for (MqttPacket p = next(); !(p instanceof io.courtier.codec.Pingresp); p = next()) {
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
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
