package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes packets. Sizes are computed first so that every packet goes into one buffer of the
 * exact size; a PUBLISH payload may be left out ({@code withPayload false}) so the caller can
 * send the shared payload buffer after the header instead of copying it.
 */
final class PacketWriter {

    private PacketWriter() {
    }

    static ByteBuf write(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version, boolean withPayload) {
        boolean v5 = version.isV5();
        return switch (packet.type()) {
            case CONNECT -> writeConnect(alloc, (Connect) packet);
            case CONNACK -> writeConnack(alloc, (Connack) packet, v5);
            case PUBLISH -> writePublish(alloc, (Publish) packet, v5, withPayload, 0);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> writeAck(alloc, (PublishAck) packet, v5);
            case SUBSCRIBE -> writeSubscribe(alloc, (Subscribe) packet, v5);
            case SUBACK -> { Suback p = (Suback) packet; yield writeCodes(alloc, 0x90, p.packetId(), p.properties(), p.reasonCodes(), v5); }
            case UNSUBSCRIBE -> writeUnsubscribe(alloc, (Unsubscribe) packet, v5);
            case UNSUBACK -> { Unsuback p = (Unsuback) packet; yield writeCodes(alloc, 0xB0, p.packetId(), p.properties(), v5 ? p.reasonCodes() : List.of(), v5); }
            case PINGREQ -> twoBytes(alloc, 0xC0);
            case PINGRESP -> twoBytes(alloc, 0xD0);
            case DISCONNECT -> writeReasonOnly(alloc, 0xE0, ((Disconnect) packet).reasonCode(), ((Disconnect) packet).properties(), v5);
            case AUTH -> writeReasonOnly(alloc, 0xF0, ((Auth) packet).reasonCode(), ((Auth) packet).properties(), true);
        };
    }

    // ---- sizes ----------------------------------------------------------------------------

    /** Whole packet size on the wire; computed, not encoded, for the packets a server sends. */
    static int encodedSize(MqttPacket packet, MqttVersion version) {
        boolean v5 = version.isV5();
        int remaining;
        switch (packet.type()) {
            case PUBLISH -> {
                Publish p = (Publish) packet;
                remaining = stringSize(p.topic()) + (p.qos() > 0 ? 2 : 0)
                        + (v5 ? propertiesBlockSize(p.properties()) : 0) + p.payload().readableBytes();
            }
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> remaining = ackRemaining((PublishAck) packet, v5);
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                Properties props = d.properties();
                remaining = !v5 || (d.reasonCode() == 0 && props.isEmpty()) ? 0
                        : 1 + (props.isEmpty() ? 0 : propertiesBlockSize(props));
            }
            case CONNACK -> remaining = 2 + (v5 ? propertiesBlockSize(((Connack) packet).properties()) : 0);
            case SUBACK -> remaining = 2 + (v5 ? propertiesBlockSize(((Suback) packet).properties()) : 0)
                    + ((Suback) packet).reasonCodes().size();
            case UNSUBACK -> remaining = 2 + (v5 ? propertiesBlockSize(((Unsuback) packet).properties())
                    + ((Unsuback) packet).reasonCodes().size() : 0);
            case PINGREQ, PINGRESP -> remaining = 0;
            default -> {
                ByteBuf buf = write(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, packet, version, true);
                try {
                    return buf.readableBytes();
                } finally {
                    buf.release();
                }
            }
        }
        return 1 + variableIntSize(remaining) + remaining;
    }

    static int variableIntSize(int value) {
        if (value < 128) {
            return 1;
        } else if (value < 16_384) {
            return 2;
        } else if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }

    private static int stringSize(String s) {
        return 2 + Utf8.encodedLength(s);
    }

    /** Size of the property list's content, without its length prefix. */
    static int propertiesSize(Properties properties) {
        // Indexed, not for-each: no iterator per packet on the delivery path.
        List<Property> list = properties.asList();
        int size = 0;
        for (int i = 0; i < list.size(); i++) {
            size += 1 + valueSize(list.get(i));
        }
        return size;
    }

    private static int propertiesBlockSize(Properties properties) {
        int content = propertiesSize(properties);
        return variableIntSize(content) + content;
    }

    private static int valueSize(Property p) {
        Object v = p.value();
        return switch (p.id().valueType()) {
            case BYTE -> 1;
            case TWO_BYTE_INTEGER -> 2;
            case FOUR_BYTE_INTEGER -> 4;
            case VARIABLE_BYTE_INTEGER -> variableIntSize((Integer) v);
            case UTF8_STRING -> stringSize((String) v);
            case BINARY_DATA -> 2 + ((byte[]) v).length;
            case UTF8_STRING_PAIR -> stringSize(((UserProperty) v).name()) + stringSize(((UserProperty) v).value());
        };
    }

    // ---- primitives -----------------------------------------------------------------------

    private static ByteBuf fixedHeader(ByteBufAllocator alloc, int first, int remaining, int extraCapacity) {
        ByteBuf buf = alloc.buffer(1 + variableIntSize(remaining) + remaining - extraCapacity);
        buf.writeByte(first);
        writeVariableInt(buf, remaining);
        return buf;
    }

    static void writeVariableInt(ByteBuf buf, int value) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            if (value > 0) {
                b |= 0x80;
            }
            buf.writeByte(b);
        } while (value > 0);
    }

    private static void writeString(ByteBuf buf, String s) {
        int lengthIndex = buf.writerIndex();
        buf.writeShort(0);
        int written = buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.setShort(lengthIndex, written);
    }

    private static void writeBinary(ByteBuf buf, byte[] bytes) {
        buf.writeShort(bytes.length);
        buf.writeBytes(bytes);
    }

    private static void writeProperties(ByteBuf buf, Properties properties) {
        writeVariableInt(buf, propertiesSize(properties));
        writePropertyValues(buf, properties);
    }

    /** The properties themselves, without the length in front. */
    private static void writePropertyValues(ByteBuf buf, Properties properties) {
        List<Property> list = properties.asList();
        for (int i = 0; i < list.size(); i++) {
            Property p = list.get(i);
            buf.writeByte(p.id().id());
            Object v = p.value();
            switch (p.id().valueType()) {
                case BYTE -> buf.writeByte((Integer) v);
                case TWO_BYTE_INTEGER -> buf.writeShort((Integer) v);
                case FOUR_BYTE_INTEGER -> buf.writeInt((int) (long) (Long) v);
                case VARIABLE_BYTE_INTEGER -> writeVariableInt(buf, (Integer) v);
                case UTF8_STRING -> writeString(buf, (String) v);
                case BINARY_DATA -> writeBinary(buf, (byte[]) v);
                case UTF8_STRING_PAIR -> {
                    writeString(buf, ((UserProperty) v).name());
                    writeString(buf, ((UserProperty) v).value());
                }
            }
        }
    }

    // ---- packets --------------------------------------------------------------------------

    private static ByteBuf writeConnect(ByteBufAllocator alloc, Connect c) {
        MqttVersion version = c.version();
        boolean v5 = version.isV5();
        Will will = c.will();
        int size = stringSize(version.protocolName()) + 1 + 1 + 2;
        if (v5) {
            size += propertiesBlockSize(c.properties());
        }
        size += stringSize(c.clientId());
        if (will != null) {
            if (v5) {
                size += propertiesBlockSize(will.properties());
            }
            size += stringSize(will.topic()) + 2 + will.payload().length;
        }
        if (c.username() != null) {
            size += stringSize(c.username());
        }
        if (c.password() != null) {
            size += 2 + c.password().length;
        }
        int flags = (c.cleanStart() ? 0x02 : 0)
                | (will != null ? 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0) : 0)
                | (c.password() != null ? 0x40 : 0)
                | (c.username() != null ? 0x80 : 0);
        ByteBuf buf = fixedHeader(alloc, 0x10, size, 0);
        writeString(buf, version.protocolName());
        buf.writeByte(c.bridge() ? version.level() | 0x80 : version.level());
        buf.writeByte(flags);
        buf.writeShort(c.keepAlive());
        if (v5) {
            writeProperties(buf, c.properties());
        }
        writeString(buf, c.clientId());
        if (will != null) {
            if (v5) {
                writeProperties(buf, will.properties());
            }
            writeString(buf, will.topic());
            writeBinary(buf, will.payload());
        }
        if (c.username() != null) {
            writeString(buf, c.username());
        }
        if (c.password() != null) {
            writeBinary(buf, c.password());
        }
        return buf;
    }

    private static ByteBuf writeConnack(ByteBufAllocator alloc, Connack c, boolean v5) {
        int size = 2 + (v5 ? propertiesBlockSize(c.properties()) : 0);
        ByteBuf buf = fixedHeader(alloc, 0x20, size, 0);
        buf.writeByte(c.sessionPresent() ? 1 : 0);
        buf.writeByte(c.reasonCode());
        if (v5) {
            writeProperties(buf, c.properties());
        }
        return buf;
    }

    /**
     * A PUBLISH, with a topic alias added when {@code alias} is not 0: positive, an alias the
     * client already knows (the topic goes out empty [MQTT-3.3.2-12]); negative, a new one sent
     * with its topic. The alias is written after the message's own properties, without building
     * a new property list.
     */
    static ByteBuf writePublish(ByteBufAllocator alloc, Publish p, boolean v5, boolean withPayload, int alias) {
        int payloadSize = p.payload().readableBytes();
        String topic = alias > 0 ? "" : p.topic();
        int propertiesContent = 0;
        if (v5) {
            propertiesContent = propertiesSize(p.properties()) + (alias != 0 ? 3 : 0);
        }
        int headerSize = stringSize(topic) + (p.qos() > 0 ? 2 : 0)
                + (v5 ? variableIntSize(propertiesContent) + propertiesContent : 0);
        int first = 0x30 | (p.dup() ? 0x08 : 0) | (p.qos() << 1) | (p.retained() ? 0x01 : 0);
        ByteBuf buf = fixedHeader(alloc, first, headerSize + payloadSize, withPayload ? 0 : payloadSize);
        writeString(buf, topic);
        if (p.qos() > 0) {
            buf.writeShort(p.packetId());
        }
        if (v5) {
            writeVariableInt(buf, propertiesContent);
            writePropertyValues(buf, p.properties());
            if (alias != 0) {
                buf.writeByte(PropertyId.TOPIC_ALIAS.id());
                buf.writeShort(Math.abs(alias));
            }
        }
        if (withPayload) {
            buf.writeBytes(p.payload(), p.payload().readerIndex(), payloadSize);
        }
        return buf;
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: before v5, and in v5 for a plain success, just the packet id. */
    private static ByteBuf writeAck(ByteBufAllocator alloc, PublishAck ack, boolean v5) {
        int remaining = ackRemaining(ack, v5);
        if (remaining == 2) {
            ByteBuf buf = alloc.buffer(4);
            buf.writeByte(ack.firstByte()).writeByte(2).writeShort(ack.packetId());
            return buf;
        }
        ByteBuf buf = fixedHeader(alloc, ack.firstByte(), remaining, 0);
        buf.writeShort(ack.packetId());
        buf.writeByte(ack.reasonCode());
        if (!ack.properties().isEmpty()) {
            writeProperties(buf, ack.properties());
        }
        return buf;
    }

    /**
     * An acknowledgement's remaining length: v5 may leave out a Success code with no properties
     * (MQTT 5.0 3.4.2.1), and the properties when there are none.
     */
    private static int ackRemaining(PublishAck ack, boolean v5) {
        Properties props = ack.properties();
        if (!v5 || (ack.reasonCode() == ReasonCode.SUCCESS && props.isEmpty())) {
            return 2;
        }
        return 3 + (props.isEmpty() ? 0 : propertiesBlockSize(props));
    }

    private static ByteBuf writeSubscribe(ByteBufAllocator alloc, Subscribe s, boolean v5) {
        int size = 2 + (v5 ? propertiesBlockSize(s.properties()) : 0);
        for (Subscription sub : s.subscriptions()) {
            size += stringSize(sub.filter()) + 1;
        }
        ByteBuf buf = fixedHeader(alloc, 0x82, size, 0);
        buf.writeShort(s.packetId());
        if (v5) {
            writeProperties(buf, s.properties());
        }
        for (Subscription sub : s.subscriptions()) {
            writeString(buf, sub.filter());
            int options = sub.qos();
            if (v5) {
                options |= (sub.noLocal() ? 0x04 : 0) | (sub.retainAsPublished() ? 0x08 : 0)
                        | (sub.retainHandling() << 4);
            }
            buf.writeByte(options);
        }
        return buf;
    }

    private static ByteBuf writeUnsubscribe(ByteBufAllocator alloc, Unsubscribe u, boolean v5) {
        int size = 2 + (v5 ? propertiesBlockSize(u.properties()) : 0);
        for (String f : u.filters()) {
            size += stringSize(f);
        }
        ByteBuf buf = fixedHeader(alloc, 0xA2, size, 0);
        buf.writeShort(u.packetId());
        if (v5) {
            writeProperties(buf, u.properties());
        }
        for (String f : u.filters()) {
            writeString(buf, f);
        }
        return buf;
    }

    /** SUBACK and UNSUBACK: packet id, v5 properties, one code per filter. */
    private static ByteBuf writeCodes(ByteBufAllocator alloc, int first, int packetId, Properties props,
                                      List<Integer> codes, boolean v5) {
        int size = 2 + (v5 ? propertiesBlockSize(props) : 0) + codes.size();
        ByteBuf buf = fixedHeader(alloc, first, size, 0);
        buf.writeShort(packetId);
        if (v5) {
            writeProperties(buf, props);
        }
        for (int i = 0, n = codes.size(); i < n; i++) {
            buf.writeByte(codes.get(i));
        }
        return buf;
    }

    /** DISCONNECT and AUTH: empty when reason 0 without properties, as v5 allows. */
    private static ByteBuf writeReasonOnly(ByteBufAllocator alloc, int first, int code, Properties props, boolean v5) {
        if (!v5 || (code == 0 && props.isEmpty())) {
            return twoBytes(alloc, first);
        }
        int size = 1 + (props.isEmpty() ? 0 : propertiesBlockSize(props));
        ByteBuf buf = fixedHeader(alloc, first, size, 0);
        buf.writeByte(code);
        if (!props.isEmpty()) {
            writeProperties(buf, props);
        }
        return buf;
    }

    private static ByteBuf twoBytes(ByteBufAllocator alloc, int first) {
        ByteBuf buf = alloc.buffer(2);
        buf.writeByte(first).writeByte(0);
        return buf;
    }
}
