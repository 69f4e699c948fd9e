package io.courtier.codec;

/** The three protocol levels the codec speaks, with the name each sends in CONNECT. */
public enum MqttVersion {
    /** MQTT 3.1: protocol name {@code MQIsdp}, level 3. */
    V3_1("MQIsdp", 3),
    /** MQTT 3.1.1: protocol name {@code MQTT}, level 4. */
    V3_1_1("MQTT", 4),
    /** MQTT 5.0: protocol name {@code MQTT}, level 5. */
    V5("MQTT", 5);

    private final String protocolName;
    private final int level;

    MqttVersion(String protocolName, int level) {
        this.protocolName = protocolName;
        this.level = level;
    }

    public String protocolName() {
        return protocolName;
    }

    public int level() {
        return level;
    }

    /** Version 5 carries properties and reason codes; the two older ones do not. */
    public boolean isV5() {
        return this == V5;
    }

    /** The version for a protocol level, or null when the level is unknown. */
    public static MqttVersion ofLevel(int level) {
        switch (level) {
            case 3: return V3_1;
            case 4: return V3_1_1;
            case 5: return V5;
            default: return null;
        }
    }
}
