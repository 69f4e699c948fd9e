package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to {@link MqttPacket}s. Reads the fixed header and the remaining length first and
 * refuses an oversized packet before buffering its body. On the server side the protocol version
 * is learned from CONNECT; a client sets it with {@link #setVersion}.
 * Errors are {@link MqttDecoderException}s; after one, the rest of the input is discarded.
 */
public final class MqttDecoder extends ByteToMessageDecoder {

    /** The protocol's own limit on the remaining length (4 bytes of variable byte integer). */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    private volatile int maxPacketSize;
    private volatile int maxClientIdLength;
    private volatile MqttVersion version;
    private final boolean serverSide;
    /** Made with the first PUBLISH: a subscriber that never publishes keeps no topic (48 bytes per connection). */
    private TopicCache topics;
    private boolean failed;

    /** Server side: the version comes from the first CONNECT. 0 = protocol maximum. */
    public MqttDecoder(int maxPacketSize) {
        this(maxPacketSize, null, true);
    }

    /** Client side: the version this connection speaks. */
    public MqttDecoder(int maxPacketSize, MqttVersion version) {
        this(maxPacketSize, version, false);
    }

    private MqttDecoder(int maxPacketSize, MqttVersion version, boolean serverSide) {
        this.maxPacketSize = maxPacketSize;
        this.version = version;
        this.serverSide = serverSide;
    }

    public MqttVersion version() {
        return version;
    }

    public void setVersion(MqttVersion version) {
        this.version = version;
    }

    /** Largest whole packet (fixed header included) accepted; 0 = protocol maximum. */
    public void setMaxPacketSize(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /** Longest client identifier accepted in bytes; 0 = no limit (3.1's 23 always applies). */
    public void setMaxClientIdLength(int maxClientIdLength) {
        this.maxClientIdLength = maxClientIdLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            MqttPacket packet = decodeOne(in);
            if (packet != null) {
                out.add(packet);
            }
        } catch (MqttDecoderException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** Decodes one whole packet from {@code in}, or returns null (consuming nothing) if more bytes are needed. */
    MqttPacket decodeOne(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available < 2) {
            return null;
        }
        int first = in.getUnsignedByte(start);
        PacketType type = checkFixedHeader(first);

        int remaining = 0;
        int headerLength = 1;
        int shift = 0;
        while (true) {
            if (headerLength >= available) {
                return null;
            }
            int b = in.getUnsignedByte(start + headerLength);
            headerLength++;
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (headerLength == 5) {
                throw PacketReader.malformed("remaining length longer than 4 bytes [MQTT-1.5.5-1]");
            }
        }
        long total = (long) headerLength + remaining;
        int max = maxPacketSize;
        if (max > 0 && total > max) {
            throw new MqttDecoderException(ReasonCode.PACKET_TOO_LARGE,
                    type + " of " + total + " bytes exceeds the maximum packet size of " + max + " bytes");
        }
        if (available < total) {
            return null;
        }
        in.skipBytes(headerLength);
        int bodyEnd = in.readerIndex() + remaining;
        // The body is read in place: the writer index is pulled in to the packet's end for the
        // duration, so every bounds check in PacketReader stops at this packet as it would on a
        // slice, without a slice object per packet. The cumulation is this decoder's alone.
        int writerIndex = in.writerIndex();
        in.writerIndex(bodyEnd);
        MqttPacket packet;
        try {
            packet = readBody(type, first & 0x0F, in);
        } finally {
            in.writerIndex(writerIndex);
        }
        int left = bodyEnd - in.readerIndex();
        if (left != 0) {
            if (packet instanceof Publish p) {
                p.release();
            }
            in.readerIndex(bodyEnd);
            throw PacketReader.malformed(type + " has " + left
                    + " bytes beyond its content (remaining length does not match content)");
        }
        return packet;
    }

    /** Packet type and reserved flag bits (MQTT 3.1.1 section 2.2.2; MQTT 5.0 section 2.1.3). */
    private PacketType checkFixedHeader(int first) {
        int typeValue = first >> 4;
        int flags = first & 0x0F;
        PacketType type = PacketType.of(typeValue);
        MqttVersion v = version;
        if (type == null) {
            throw PacketReader.protocolError("packet type 0 is reserved [MQTT-2.2.1]"); // Mosquitto: 0x82
        }
        if (serverSide && v == null && type != PacketType.CONNECT) {
            throw PacketReader.protocolError("first packet must be CONNECT, was " + type + " [MQTT-3.1.0-1]");
        }
        if (type == PacketType.AUTH && v != null && !v.isV5()) {
            throw PacketReader.malformed("packet type 15 is reserved before MQTT 5 [MQTT-2.2.1]");
        }
        switch (type) {
            case PUBLISH: {
                int qos = (flags >> 1) & 0x03;
                if (qos == 3) {
                    throw PacketReader.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
                }
                if (qos == 0 && (flags & 0x08) != 0) {
                    throw PacketReader.malformed("PUBLISH with DUP set at QoS 0 [MQTT-3.3.1-2]");
                }
                break;
            }
            case PUBREL:
            case SUBSCRIBE:
            case UNSUBSCRIBE:
                if (flags != 0x02) {
                    throw PacketReader.malformed(type + " fixed header flags must be 0010 [MQTT-3.6.1-1] "
                            + "[MQTT-3.8.1-1] [MQTT-3.10.1-1]");
                }
                break;
            default:
                if (flags != 0) {
                    throw PacketReader.malformed(type + " fixed header flags must be 0000 [MQTT-2.2.2-2]");
                }
        }
        return type;
    }

    private MqttPacket readBody(PacketType type, int flags, ByteBuf body) {
        if (type == PacketType.CONNECT) {
            return PacketReader.readConnect(body, maxClientIdLength, v -> version = v);
        }
        MqttVersion v = version;
        if (v == null) {
            // A client-side decoder must be told its version; default to 3.1.1 framing.
            v = MqttVersion.V3_1_1;
        }
        return switch (type) {
            case CONNACK -> PacketReader.readConnack(body, v);
            case PUBLISH -> PacketReader.readPublish(body, flags, v, topics != null ? topics : (topics = new TopicCache()));
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PacketReader.readAck(body, type, v);
            case SUBSCRIBE -> PacketReader.readSubscribe(body, v);
            case SUBACK -> PacketReader.readSuback(body, v);
            case UNSUBSCRIBE -> PacketReader.readUnsubscribe(body, v);
            case UNSUBACK -> PacketReader.readUnsuback(body, v);
            case PINGREQ -> Pingreq.INSTANCE;
            case PINGRESP -> Pingresp.INSTANCE;
            case DISCONNECT -> PacketReader.readDisconnect(body, v);
            case AUTH -> PacketReader.readAuth(body, v);
            default -> throw new AssertionError(type);
        };
    }
}
