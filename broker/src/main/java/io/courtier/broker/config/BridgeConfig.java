package io.courtier.broker.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One bridge: a {@code connection NAME} block of mosquitto.conf and the directives after it, with
 * Mosquitto 2.0's defaults filled in (client ids from the host name, notification topic).
 * {@code origin} is the {@code FILE:LINE} of its {@code connection} line. Times are seconds.
 */
public record BridgeConfig(
        String name,
        String origin,
        List<Address> addresses,
        boolean roundRobin,
        List<BridgeTopic> topics,
        Protocol protocol,
        boolean cleanSession,
        boolean localCleanSession,
        String localClientId,
        String remoteClientId,
        String remoteUsername,
        String remotePassword,
        String localUsername,
        String localPassword,
        int keepaliveInterval,
        int idleTimeout,
        StartType startType,
        int threshold,
        RestartTimeout restartTimeout,
        boolean tryPrivate,
        boolean notifications,
        boolean notificationsLocalOnly,
        String notificationTopic,
        boolean attemptUnsubscribe,
        boolean outgoingRetain,
        int maxPacketSize,
        String bindAddress,
        Tls tls,
        int receiveMaximum,
        long sessionExpiryInterval) {

    /** A remote broker to connect to. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** bridge_protocol_version. */
    public enum Protocol {
        MQTT31, MQTT311, MQTT50
    }

    /** start_type; Mosquitto's "manual" is refused, as by Mosquitto. */
    public enum StartType {
        AUTOMATIC, LAZY, ONCE
    }

    /**
     * restart_timeout: a constant delay ({@code base == cap}, {@code constant}), or Mosquitto's
     * "decorrelated jitter" back-off from {@code base} up to {@code cap}.
     */
    public record RestartTimeout(int base, int cap, boolean constant) {
        /** Mosquitto 2.0's default: jitter from 5 s up to 30 s. */
        public static final RestartTimeout DEFAULT = new RestartTimeout(5, 30, false);
    }

    /** The bridge_* TLS directives; null fields are unset. TLS is on when a CA file or path is given. */
    public record Tls(Path cafile, Path capath, Path certfile, Path keyfile, boolean insecure, String version,
                      String alpn) {
        public static final Tls NONE = new Tls(null, null, null, null, false, null, null);

        public boolean enabled() {
            return cafile != null || capath != null;
        }
    }

    /** Whether a topic line sends local messages to the remote broker. */
    public boolean hasOutgoing() {
        return topics.stream().anyMatch(t -> t.direction().outgoing());
    }
}
