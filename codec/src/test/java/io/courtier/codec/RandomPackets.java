package io.courtier.codec;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random valid packets of every type, for round-trip tests. */
final class RandomPackets {
    private final Random random;

    RandomPackets(long seed) {
        random = new Random(seed);
    }

    MqttPacket any(MqttVersion v) {
        int kinds = v.isV5() ? 15 : 14;
        return switch (random.nextInt(kinds)) {
            case 0 -> connect(v);
            case 1 -> new Connack(random.nextBoolean(), v.isV5() ? pick(0x00, 0x80, 0x87, 0x9C) : random.nextInt(6),
                    props(v, PacketType.CONNACK));
            case 2 -> publish(v);
            case 3 -> new Puback(id(), v.isV5() ? pick(0x00, 0x10, 0x80, 0x97) : 0, props(v, PacketType.PUBACK));
            case 4 -> new Pubrec(id(), v.isV5() ? pick(0x00, 0x10, 0x83) : 0, props(v, PacketType.PUBREC));
            case 5 -> new Pubrel(id(), v.isV5() ? pick(0x00, 0x92) : 0, props(v, PacketType.PUBREL));
            case 6 -> new Pubcomp(id(), v.isV5() ? pick(0x00, 0x92) : 0, props(v, PacketType.PUBCOMP));
            case 7 -> subscribe(v);
            case 8 -> new Suback(id(), codes(v.isV5() ? new int[] {0, 1, 2, 0x80, 0x87, 0xA2} : new int[] {0, 1, 2, 0x80}),
                    props(v, PacketType.SUBACK));
            case 9 -> new Unsubscribe(id(), filters(), props(v, PacketType.UNSUBSCRIBE));
            case 10 -> new Unsuback(id(), v.isV5() ? codes(new int[] {0, 0x11, 0x87}) : List.of(),
                    props(v, PacketType.UNSUBACK));
            case 11 -> Pingreq.INSTANCE;
            case 12 -> Pingresp.INSTANCE;
            case 13 -> v.isV5() ? new Disconnect(pick(0x00, 0x04, 0x8B, 0x8E), props(v, PacketType.DISCONNECT))
                    : Disconnect.NORMAL;
            default -> new Auth(pick(0x00, 0x18, 0x19), props(v, PacketType.AUTH));
        };
    }

    Connect connect(MqttVersion v) {
        String clientId = v == MqttVersion.V3_1 ? "c" + random.nextInt(1000) : text(random.nextInt(30));
        Will will = random.nextBoolean() ? new Will(topic(), bytes(random.nextInt(20)), random.nextInt(3),
                random.nextBoolean(), v.isV5() ? willProps() : Properties.NONE) : null;
        String username = random.nextBoolean() ? text(8) : null;
        byte[] password = (username != null || v.isV5()) && random.nextBoolean() ? bytes(8) : null;
        return new Connect(v, clientId, random.nextBoolean(), random.nextInt(65536), username, password, will,
                props(v, PacketType.CONNECT));
    }

    Publish publish(MqttVersion v) {
        int qos = random.nextInt(3);
        byte[] payload = bytes(random.nextInt(4) == 0 ? 600 + random.nextInt(2000) : random.nextInt(64));
        return new Publish(topic(), qos, random.nextBoolean(), qos > 0 && random.nextBoolean(), qos > 0 ? id() : 0,
                props(v, PacketType.PUBLISH), Unpooled.wrappedBuffer(payload));
    }

    Subscribe subscribe(MqttVersion v) {
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            String filter = pickFilter();
            if (v.isV5()) {
                subs.add(new Subscription(filter, random.nextInt(3), !Topics.isShared(filter) && random.nextBoolean(),
                        random.nextBoolean(), random.nextInt(3)));
            } else {
                subs.add(new Subscription(filter, random.nextInt(3)));
            }
        }
        return new Subscribe(id(), subs, props(v, PacketType.SUBSCRIBE));
    }

    private Properties props(MqttVersion v, PacketType type) {
        if (!v.isV5() || random.nextInt(3) == 0) {
            return Properties.NONE;
        }
        Properties.Builder b = Properties.builder();
        for (PropertyId id : PropertyId.values()) {
            if (id.allowedIn(type) && random.nextInt(3) == 0) {
                b.add(id, value(id));
                // A SUBSCRIBE carries one Subscription Identifier at most (MQTT 5.0 3.8.2.1.2).
                boolean once = type == PacketType.SUBSCRIBE && id == PropertyId.SUBSCRIPTION_IDENTIFIER;
                if (id.repeatable() && !once && random.nextBoolean()) {
                    b.add(id, value(id));
                }
            }
        }
        return b.build();
    }

    private Properties willProps() {
        Properties.Builder b = Properties.builder();
        for (PropertyId id : PropertyId.values()) {
            if (id.allowedInWill() && random.nextInt(3) == 0) {
                b.add(id, value(id));
            }
        }
        return b.build();
    }

    private Object value(PropertyId id) {
        return switch (id.valueType()) {
            case BYTE -> random.nextInt(2);
            case TWO_BYTE_INTEGER -> 1 + random.nextInt(65535);
            case FOUR_BYTE_INTEGER -> 1 + (long) random.nextInt(Integer.MAX_VALUE) * 2;
            case VARIABLE_BYTE_INTEGER -> 1 + random.nextInt(268_435_455);
            case UTF8_STRING -> text(random.nextInt(12));
            case BINARY_DATA -> bytes(random.nextInt(12));
            case UTF8_STRING_PAIR -> new UserProperty(text(5), text(random.nextInt(9)));
        };
    }

    private List<Integer> codes(int[] allowed) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            out.add(allowed[random.nextInt(allowed.length)]);
        }
        return out;
    }

    private List<String> filters() {
        List<String> out = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            out.add(pickFilter());
        }
        return out;
    }

    private String pickFilter() {
        String[] shapes = {"a/b", "a/+/c", "#", "+", "a/#", "/", "$SYS/#", "$share/g/x/+", "caf\u00e9/\u6771\u4eac", "a//b"};
        return shapes[random.nextInt(shapes.length)];
    }

    private String topic() {
        String[] shapes = {"a", "a/b/c", "/", "//", "$SYS/broker/uptime", "sensors/t\u00e9/\uD83D\uDE00", "x y"};
        return shapes[random.nextInt(shapes.length)] + (random.nextBoolean() ? "/" + random.nextInt(100) : "");
    }

    private String text(int n) {
        String alphabet = "abcXYZ019 -_\u00e9\u6771\uD83D\uDE00";
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            int i = random.nextInt(alphabet.length());
            char c = alphabet.charAt(i);
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(alphabet.charAt(i + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private int id() {
        return 1 + random.nextInt(65535);
    }

    private int pick(int... values) {
        return values[random.nextInt(values.length)];
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
