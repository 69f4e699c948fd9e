package io.courtier.codec;

/** Which reason codes each MQTT 5 packet may carry (MQTT 5.0 sections 3.2.2.2 to 3.15.2.1). */
final class AllowedReasonCodes {
    private AllowedReasonCodes() {
    }

    private static final boolean[] CONNACK = table(0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
            0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
    private static final boolean[] PUBACK_PUBREC = table(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    private static final boolean[] PUBREL_PUBCOMP = table(0x00, 0x92);
    private static final boolean[] SUBACK = table(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E,
            0xA1, 0xA2);
    private static final boolean[] UNSUBACK = table(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);
    private static final boolean[] DISCONNECT = table(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B,
            0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E,
            0x9F, 0xA0, 0xA1, 0xA2);
    private static final boolean[] AUTH = table(0x00, 0x18, 0x19);
    private static final boolean[] V3_SUBACK = table(0x00, 0x01, 0x02, 0x80);

    private static boolean[] table(int... codes) {
        boolean[] t = new boolean[256];
        for (int c : codes) {
            t[c] = true;
        }
        return t;
    }

    static boolean isAllowed(PacketType type, MqttVersion version, int code) {
        if (!version.isV5()) {
            return switch (type) {
                case CONNACK -> code <= 5;
                case SUBACK -> V3_SUBACK[code];
                default -> code == 0;
            };
        }
        boolean[] t = switch (type) {
            case CONNACK -> CONNACK;
            case PUBACK, PUBREC -> PUBACK_PUBREC;
            case PUBREL, PUBCOMP -> PUBREL_PUBCOMP;
            case SUBACK -> SUBACK;
            case UNSUBACK -> UNSUBACK;
            case DISCONNECT -> DISCONNECT;
            case AUTH -> AUTH;
            default -> null;
        };
        return t != null && t[code];
    }
}
