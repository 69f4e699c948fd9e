package io.courtier.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the variable header and payload of one packet whose fixed header and remaining length
 * the {@link MqttDecoder} has already checked. Every read is bounds-checked against the body,
 * so a packet shorter than its content is a typed error, never an IndexOutOfBoundsException.
 */
final class PacketReader {

    private static final int MQTT_3_1_MAX_CLIENT_ID = 23;

    private PacketReader() {
    }

    // ---- primitives -------------------------------------------------------------------------

    static MqttDecoderException malformed(String rule) {
        return new MqttDecoderException(ReasonCode.MALFORMED_PACKET, rule);
    }

    static MqttDecoderException protocolError(String rule) {
        return new MqttDecoderException(ReasonCode.PROTOCOL_ERROR, rule);
    }

    private static void need(ByteBuf body, int n, String what) {
        if (body.readableBytes() < n) {
            throw malformed("packet too short for its " + what + " (remaining length does not match content)");
        }
    }

    static int readByte(ByteBuf body, String what) {
        need(body, 1, what);
        return body.readUnsignedByte();
    }

    static int readShort(ByteBuf body, String what) {
        need(body, 2, what);
        return body.readUnsignedShort();
    }

    static long readInt(ByteBuf body, String what) {
        need(body, 4, what);
        return body.readUnsignedInt();
    }

    static int readPacketId(ByteBuf body) {
        int id = readShort(body, "packet identifier");
        if (id == 0) {
            throw malformed("packet identifier must not be 0 [MQTT-2.3.1-1]");
        }
        return id;
    }

    /** A variable byte integer of at most 4 bytes [MQTT-1.5.5-1]. */
    static int readVariableInt(ByteBuf body, String what) {
        int value = 0;
        int shift = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte(body, what);
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
        throw malformed(what + ": variable byte integer longer than 4 bytes");
    }

    static String readString(ByteBuf body, String what) {
        int len = readShort(body, what + " length");
        need(body, len, what);
        int index = body.readerIndex();
        String s = decodeChecked(body, index, len, what);
        body.skipBytes(len);
        return s;
    }

    /**
     * A PUBLISH topic name: like {@link #readString}, but a repeat of the connection's last topic
     * reuses its String. Bytes that differ from the cached ones are checked in full, so invalid
     * UTF-8 is still refused [MQTT-1.5.3-1] [MQTT-1.5.3-2].
     */
    static String readTopicName(ByteBuf body, TopicCache cache) {
        int len = readShort(body, "topic name length");
        need(body, len, "topic name");
        int index = body.readerIndex();
        String s = cache.lookup(body, index, len);
        if (s == null) {
            s = decodeChecked(body, index, len, "topic name");
            cache.remember(body, index, len, s);
        }
        body.skipBytes(len);
        return s;
    }

    private static String decodeChecked(ByteBuf body, int index, int len, String what) {
        if (!Utf8.isValidString(body, index, len)) {
            throw malformed(what + " is not valid UTF-8 or contains U+0000 or a control character"
                    + " [MQTT-1.5.3-1] [MQTT-1.5.3-2] (MQTT 5.0 1.5.4)");
        }
        return Utf8.decode(body, index, len);
    }

    static byte[] readBinary(ByteBuf body, String what) {
        int len = readShort(body, what + " length");
        need(body, len, what);
        byte[] bytes = new byte[len];
        body.readBytes(bytes);
        return bytes;
    }

    // ---- properties (MQTT 5.0 section 2.2.2) --------------------------------------------------

    /** Reads a property list for a packet type, or for will properties when {@code will}. */
    static Properties readProperties(ByteBuf body, PacketType type, boolean will) {
        int length = readVariableInt(body, "property length");
        need(body, length, "properties");
        if (length == 0) {
            return Properties.NONE;
        }
        ByteBuf props = body.readSlice(length);
        List<Property> list = new ArrayList<>(4);
        long seen = 0;
        String where = will ? "will properties" : type + " properties";
        while (props.isReadable()) {
            int idValue = readVariableInt(props, "property identifier");
            PropertyId id = PropertyId.of(idValue);
            if (id == null) {
                throw malformed("unknown property identifier 0x" + Integer.toHexString(idValue) + " in " + where);
            }
            if (will ? !id.allowedInWill() : !id.allowedIn(type)) {
                // "An Identifier which is not valid for its packet type" makes a Malformed Packet (MQTT 5.0 2.2.2.2).
                throw malformed(id + " is not allowed in " + where);
            }
            long bit = 1L << id.id();
            if ((seen & bit) != 0 && !id.repeatable()) {
                throw protocolError(id + " appears twice in " + where);
            }
            seen |= bit;
            list.add(new Property(id, readValue(props, id)));
        }
        return Properties.of(list);
    }

    private static Object readValue(ByteBuf props, PropertyId id) {
        String name = id.toString();
        switch (id.valueType()) {
            case BYTE: {
                int v = readByte(props, name);
                if (v > 1) {
                    throw protocolError(name + " must be 0 or 1, was " + v);
                }
                return v;
            }
            case TWO_BYTE_INTEGER: {
                int v = readShort(props, name);
                if (v == 0 && id == PropertyId.TOPIC_ALIAS) {
                    // [MQTT-3.3.2-8]; Mosquitto reads it as a Malformed Packet (one above the maximum is 0x94).
                    throw malformed(name + " must not be 0 [MQTT-3.3.2-8]");
                }
                if (v == 0 && id == PropertyId.RECEIVE_MAXIMUM) {
                    throw protocolError(name + " must not be 0");
                }
                return v;
            }
            case FOUR_BYTE_INTEGER: {
                long v = readInt(props, name);
                if (v == 0 && id == PropertyId.MAXIMUM_PACKET_SIZE) {
                    throw protocolError(name + " must not be 0");
                }
                return v;
            }
            case VARIABLE_BYTE_INTEGER: {
                int v = readVariableInt(props, name);
                if (v == 0 && id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                    throw malformed(name + " must not be 0 [MQTT-3.8.2-1]"); // Mosquitto: Malformed Packet
                }
                return v;
            }
            case UTF8_STRING:
                return readString(props, name);
            case BINARY_DATA:
                return readBinary(props, name);
            case UTF8_STRING_PAIR:
                return new UserProperty(readString(props, "user property name"),
                        readString(props, "user property value"));
            default:
                throw new AssertionError(id);
        }
    }

    private static int readReasonCode(ByteBuf body, PacketType type, MqttVersion version) {
        int code = readByte(body, "reason code");
        if (!AllowedReasonCodes.isAllowed(type, version, code)) {
            throw malformed("reason code 0x" + Integer.toHexString(code) + " is not defined for " + type);
        }
        return code;
    }

    // ---- packets ---------------------------------------------------------------------------

    /**
     * CONNECT (MQTT 3.1.1 section 3.1, MQTT 5.0 section 3.1). {@code versionSink} receives the
     * version as soon as the protocol level is known, so that an error later in the packet can
     * still be answered with a CONNACK of the right form.
     */
    static Connect readConnect(ByteBuf body, int maxClientIdLength, java.util.function.Consumer<MqttVersion> versionSink) {
        String name = readString(body, "protocol name");
        int level = readByte(body, "protocol level");
        // Mosquitto's bridges (try_private) set the top bit of a 3.1/3.1.1 level: 0x83, 0x84.
        boolean bridge = level == 0x83 || level == 0x84;
        MqttVersion version = MqttVersion.ofLevel(bridge ? level & 0x7F : level);
        if (!name.equals("MQTT") && !name.equals("MQIsdp")) {
            throw protocolError("unknown protocol name \"" + abbreviate(name) + "\" [MQTT-3.1.2-1]");
        }
        if (version == null || !version.protocolName().equals(name)) {
            throw new MqttDecoderException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "unsupported protocol level " + level + " for \"" + name + "\" [MQTT-3.1.2-2]");
        }
        versionSink.accept(version);
        int flags = readByte(body, "connect flags");
        if ((flags & 0x01) != 0) {
            throw malformed("reserved connect flag must be 0 [MQTT-3.1.2-3]");
        }
        boolean cleanStart = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean passwordFlag = (flags & 0x40) != 0;
        boolean usernameFlag = (flags & 0x80) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw malformed("will QoS and will retain must be 0 without the will flag [MQTT-3.1.2-11] [MQTT-3.1.2-15]");
        }
        if (willQos == 3) {
            throw malformed("will QoS must not be 3 [MQTT-3.1.2-14]");
        }
        if (passwordFlag && !usernameFlag && !version.isV5()) {
            throw malformed("password flag set without username flag [MQTT-3.1.2-22]");
        }
        int keepAlive = readShort(body, "keep alive");
        Properties properties = version.isV5() ? readProperties(body, PacketType.CONNECT, false) : Properties.NONE;

        String clientId = readString(body, "client identifier");
        int clientIdBytes = Utf8.encodedLength(clientId);
        if (version == MqttVersion.V3_1 && (clientIdBytes == 0 || clientIdBytes > MQTT_3_1_MAX_CLIENT_ID)) {
            throw new MqttDecoderException(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "MQTT 3.1 client identifier must be 1 to 23 bytes, was " + clientIdBytes);
        }
        if (maxClientIdLength > 0 && clientIdBytes > maxClientIdLength) {
            throw new MqttDecoderException(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client identifier longer than " + maxClientIdLength + " bytes");
        }
        Will will = null;
        if (willFlag) {
            Properties willProperties = version.isV5()
                    ? readProperties(body, PacketType.CONNECT, true) : Properties.NONE;
            String willTopic = readString(body, "will topic");
            if (!Topics.isValidTopicName(willTopic)) {
                throw new MqttDecoderException(ReasonCode.TOPIC_NAME_INVALID,
                        "will topic \"" + abbreviate(willTopic) + "\" is not a valid topic name [MQTT-3.1.3-11]");
            }
            byte[] willPayload = readBinary(body, "will payload");
            will = new Will(willTopic, willPayload, willQos, willRetain, willProperties);
        }
        String username = usernameFlag ? readString(body, "user name") : null;
        byte[] password = passwordFlag ? readBinary(body, "password") : null;
        return new Connect(version, clientId, cleanStart, keepAlive, username, password, will, properties, bridge);
    }

    static Connack readConnack(ByteBuf body, MqttVersion version) {
        int ackFlags = readByte(body, "connect acknowledge flags");
        if ((ackFlags & 0xFE) != 0) {
            throw malformed("reserved connect acknowledge flags must be 0 [MQTT-3.2.2-1]");
        }
        int code = readReasonCode(body, PacketType.CONNACK, version);
        Properties properties = version.isV5() && body.isReadable()
                ? readProperties(body, PacketType.CONNACK, false) : Properties.NONE;
        return new Connack((ackFlags & 0x01) != 0, code, properties);
    }

    static Publish readPublish(ByteBuf body, int flags, MqttVersion version, TopicCache topics) {
        int qos = (flags >> 1) & 0x03;
        boolean dup = (flags & 0x08) != 0;
        boolean retain = (flags & 0x01) != 0;
        String topic = readTopicName(body, topics);
        int packetId = 0;
        if (qos > 0) {
            packetId = readShort(body, "packet identifier");
            if (packetId == 0) {
                // Mosquitto answers a PUBLISH with id 0 with "Protocol Error", as it does other PUBLISH rules.
                throw protocolError("packet identifier must not be 0 [MQTT-2.3.1-1]");
            }
        }
        Properties properties = version.isV5() ? readProperties(body, PacketType.PUBLISH, false) : Properties.NONE;
        if (topic.isEmpty()) {
            if (!version.isV5() || !properties.contains(PropertyId.TOPIC_ALIAS)) {
                throw protocolError("empty topic name without a topic alias [MQTT-4.7.3-1]");
            }
        } else if (!Topics.isValidTopicName(topic)) {
            // Mosquitto's code for it, not Topic Name invalid (0x90).
            throw protocolError("topic name \"" + abbreviate(topic) + "\" contains a wildcard [MQTT-3.3.2-2]");
        }
        if (properties.contains(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
            // Only servers send it [MQTT-3.3.4-6]; harmless to accept on the client side.
        }
        ByteBuf payload = body.readRetainedSlice(body.readableBytes());
        return new Publish(topic, qos, retain, dup, packetId, properties, payload);
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: v5 may omit the reason code (then 0) and properties. */
    static PublishAck readAck(ByteBuf body, PacketType type, MqttVersion version) {
        int packetId = readPacketId(body);
        int code = ReasonCode.SUCCESS;
        Properties properties = Properties.NONE;
        if (version.isV5()) {
            if (body.isReadable()) {
                code = readReasonCode(body, type, version);
            }
            if (body.isReadable()) {
                properties = readProperties(body, type, false);
            }
        }
        return PublishAck.of(type, packetId, code, properties);
    }

    static Subscribe readSubscribe(ByteBuf body, MqttVersion version) {
        int packetId = readPacketId(body);
        Properties properties = version.isV5() ? readProperties(body, PacketType.SUBSCRIBE, false) : Properties.NONE;
        if (properties.subscriptionIdentifiers().size() > 1) {
            throw protocolError("SUBSCRIBE with more than one Subscription Identifier (MQTT 5.0 3.8.2.1.2)");
        }
        if (!body.isReadable()) {
            // Mosquitto reads these SUBSCRIBE and UNSUBSCRIBE errors as Malformed Packet (0x81).
            throw malformed("SUBSCRIBE without any topic filter [MQTT-3.8.3-3]");
        }
        List<Subscription> subscriptions = new ArrayList<>(2);
        while (body.isReadable()) {
            String filter = readFilter(body);
            int options = readByte(body, "subscription options");
            int qos = options & 0x03;
            if (qos == 3) {
                throw malformed("requested QoS 3 for \"" + abbreviate(filter) + "\" [MQTT-3-8.3-4]");
            }
            if (!version.isV5()) {
                if ((options & 0xFC) != 0) {
                    throw malformed("reserved subscription option bits must be 0 [MQTT-3-8.3-4]");
                }
                subscriptions.add(new Subscription(filter, qos));
                continue;
            }
            if ((options & 0xC0) != 0) {
                throw malformed("reserved subscription option bits must be 0 [MQTT-3.8.3-5]");
            }
            boolean noLocal = (options & 0x04) != 0;
            boolean retainAsPublished = (options & 0x08) != 0;
            int retainHandling = (options >> 4) & 0x03;
            if (retainHandling == 3) {
                throw malformed("retain handling 3 is reserved [MQTT-3.8.3-5]");
            }
            if (noLocal && Topics.isShared(filter)) {
                throw protocolError("no local on a shared subscription [MQTT-3.8.3-4]");
            }
            subscriptions.add(new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling));
        }
        return new Subscribe(packetId, subscriptions, properties);
    }

    static Suback readSuback(ByteBuf body, MqttVersion version) {
        int packetId = readPacketId(body);
        Properties properties = version.isV5() ? readProperties(body, PacketType.SUBACK, false) : Properties.NONE;
        if (!body.isReadable()) {
            throw protocolError("SUBACK without any return code");
        }
        List<Integer> codes = new ArrayList<>(body.readableBytes());
        while (body.isReadable()) {
            codes.add(readReasonCode(body, PacketType.SUBACK, version));
        }
        return new Suback(packetId, codes, properties);
    }

    static Unsubscribe readUnsubscribe(ByteBuf body, MqttVersion version) {
        int packetId = readPacketId(body);
        Properties properties = version.isV5()
                ? readProperties(body, PacketType.UNSUBSCRIBE, false) : Properties.NONE;
        if (!body.isReadable()) {
            throw malformed("UNSUBSCRIBE without any topic filter [MQTT-3.10.3-2]");
        }
        List<String> filters = new ArrayList<>(2);
        while (body.isReadable()) {
            filters.add(readFilter(body));
        }
        return new Unsubscribe(packetId, filters, properties);
    }

    static Unsuback readUnsuback(ByteBuf body, MqttVersion version) {
        int packetId = readPacketId(body);
        if (!version.isV5()) {
            return new Unsuback(packetId, List.of(), Properties.NONE);
        }
        Properties properties = readProperties(body, PacketType.UNSUBACK, false);
        List<Integer> codes = new ArrayList<>(body.readableBytes());
        while (body.isReadable()) {
            codes.add(readReasonCode(body, PacketType.UNSUBACK, version));
        }
        return new Unsuback(packetId, codes, properties);
    }

    static Disconnect readDisconnect(ByteBuf body, MqttVersion version) {
        if (!version.isV5() || !body.isReadable()) {
            return Disconnect.NORMAL;
        }
        int code = readReasonCode(body, PacketType.DISCONNECT, version);
        Properties properties = body.isReadable()
                ? readProperties(body, PacketType.DISCONNECT, false) : Properties.NONE;
        return new Disconnect(code, properties);
    }

    static Auth readAuth(ByteBuf body, MqttVersion version) {
        if (!body.isReadable()) {
            return new Auth(ReasonCode.SUCCESS, Properties.NONE);
        }
        int code = readReasonCode(body, PacketType.AUTH, version);
        Properties properties = body.isReadable() ? readProperties(body, PacketType.AUTH, false) : Properties.NONE;
        return new Auth(code, properties);
    }

    private static String readFilter(ByteBuf body) {
        String filter = readString(body, "topic filter");
        if (!Topics.isValidTopicFilter(filter)) {
            throw malformed("invalid topic filter \"" + abbreviate(filter) + "\" [MQTT-4.7.1-2] [MQTT-4.7.1-3]");
        }
        return filter;
    }

    /** Client input quoted in a log line is cut short. */
    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
