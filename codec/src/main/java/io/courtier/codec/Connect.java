package io.courtier.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT. {@code cleanStart} is "clean session" in 3.1/3.1.1. {@code username},
 * {@code password} and {@code will} are null when their flag is not set. {@code bridge} is
 * Mosquitto's {@code try_private}: a 3.1/3.1.1 bridge sets the protocol level's top bit (0x83,
 * 0x84) so that a Mosquitto peer keeps retain flags as published and sends it none of its own
 * messages back; it is not part of the MQTT standards.
 */
public record Connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive,
                      String username, byte[] password, Will will, Properties properties, boolean bridge)
        implements MqttPacket {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
        if (bridge && version.isV5()) {
            throw new IllegalArgumentException("the bridge bit exists in MQTT 3.1 and 3.1.1 only");
        }
    }

    /** An ordinary client's CONNECT (no bridge bit). */
    public Connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive,
                   String username, byte[] password, Will will, Properties properties) {
        this(version, clientId, cleanStart, keepAlive, username, password, will, properties, false);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connect c && version == c.version && clientId.equals(c.clientId)
                && cleanStart == c.cleanStart && keepAlive == c.keepAlive
                && Objects.equals(username, c.username) && Arrays.equals(password, c.password)
                && Objects.equals(will, c.will) && properties.equals(c.properties) && bridge == c.bridge;
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, clientId, cleanStart, keepAlive, username,
                Arrays.hashCode(password), will, properties, bridge);
    }

    @Override
    public String toString() {
        return "Connect[version=" + version + ", clientId=" + clientId + ", cleanStart=" + cleanStart
                + ", keepAlive=" + keepAlive + ", username=" + username
                + ", password=" + (password == null ? "none" : "set") + ", will=" + will
                + ", properties=" + properties + (bridge ? ", bridge" : "") + "]";
    }
}
