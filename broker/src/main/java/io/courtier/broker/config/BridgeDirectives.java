package io.courtier.broker.config;

import io.courtier.codec.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mosquitto's bridge directives: {@code connection NAME} opens a block, and every directive after
 * it configures that bridge until the next {@code connection} (listener and global directives in
 * between keep their usual meaning, as in Mosquitto). A bridge directive before any
 * {@code connection} is Mosquitto's "Invalid bridge configuration." Each block becomes a
 * {@link BridgeConfig} at the end of the file, with Mosquitto 2.0's defaults and its whole-block
 * checks (an address and a topic are required). TLS-PSK and OCSP stay warnings.
 */
final class BridgeDirectives {

    private BridgeDirectives() {
    }

    /** A connection block as read so far. */
    static final class Draft {
        final ConfigLine at;
        final String name;
        final List<BridgeConfig.Address> addresses = new ArrayList<>();
        boolean roundRobin;
        final List<BridgeTopic> topics = new ArrayList<>();
        BridgeConfig.Protocol protocol = BridgeConfig.Protocol.MQTT311;
        boolean cleanSession;
        Boolean localCleanSession;
        String localClientId;
        String remoteClientId;
        String remoteUsername;
        String remotePassword;
        String localUsername;
        String localPassword;
        int keepalive = 60;
        int idleTimeout = 60;
        BridgeConfig.StartType startType = BridgeConfig.StartType.AUTOMATIC;
        int threshold = 10;
        BridgeConfig.RestartTimeout restartTimeout = BridgeConfig.RestartTimeout.DEFAULT;
        boolean tryPrivate = true;
        boolean notifications = true;
        boolean notificationsLocalOnly;
        String notificationTopic;
        boolean attemptUnsubscribe = true;
        boolean outgoingRetain = true;
        int maxPacketSize;
        String bindAddress;
        Path cafile;
        Path capath;
        Path certfile;
        Path keyfile;
        boolean insecure;
        String tlsVersion;
        String alpn;
        int receiveMaximum;
        long sessionExpiryInterval;

        Draft(ConfigLine at, String name) {
            this.at = at;
            this.name = name;
        }

        BridgeConfig build(String hostName) throws ConfigException {
            if (addresses.isEmpty()) {
                throw at.error("Invalid bridge configuration: no remote addresses defined.");
            }
            if (topics.isEmpty()) {
                throw at.error("Invalid bridge configuration: no topics defined.");
            }
            if ((certfile == null) != (keyfile == null)) {
                throw at.error("Invalid bridge configuration: bridge_certfile and bridge_keyfile must be given "
                        + "together.");
            }
            if ((certfile != null || tlsVersion != null || alpn != null) && cafile == null && capath == null) {
                throw at.error("Invalid bridge configuration: TLS needs bridge_cafile or bridge_capath.");
            }
            // Mosquitto 2.0 names the remote side HOSTNAME.NAME and the local side local.REMOTE_ID.
            String remote = remoteClientId != null ? remoteClientId : hostName + "." + name;
            String local = localClientId != null ? localClientId : "local." + remote;
            String notification = notificationTopic != null ? notificationTopic
                    : "$SYS/broker/connection/" + remote + "/state";
            return new BridgeConfig(name, at.where(), List.copyOf(addresses), roundRobin, List.copyOf(topics),
                    protocol, cleanSession, localCleanSession != null ? localCleanSession : cleanSession, local,
                    remote, remoteUsername, remotePassword, localUsername, localPassword, keepalive, idleTimeout,
                    startType, threshold, restartTimeout, tryPrivate, notifications, notificationsLocalOnly,
                    notification, attemptUnsubscribe, outgoingRetain, maxPacketSize, bindAddress,
                    new BridgeConfig.Tls(cafile, capath, certfile, keyfile, insecure, tlsVersion, alpn),
                    receiveMaximum, sessionExpiryInterval);
        }
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        String name = l.name();
        if (name.equals("connection")) {
            String bridgeName = Values.word(l);
            for (Draft d : s.bridges) {
                if (d.name.equals(bridgeName)) {
                    throw l.error("Duplicate bridge name \"" + bridgeName + "\" (first at " + d.at.where() + ").");
                }
            }
            Draft d = new Draft(l, bridgeName);
            s.bridges.add(d);
            return true;
        }
        if (!isBridgeDirective(name)) {
            return false;
        }
        Draft d = s.bridges.isEmpty() ? null : s.bridges.get(s.bridges.size() - 1);
        if (d == null) {
            throw l.error("Invalid bridge configuration: " + name + " comes before any connection line.");
        }
        set(l, s, d);
        return true;
    }

    private static boolean isBridgeDirective(String name) {
        return switch (name) {
            case "address", "addresses", "round_robin", "topic", "bridge_protocol_version", "cleansession",
                 "local_cleansession", "local_clientid", "remote_clientid", "clientid", "remote_username",
                 "username", "remote_password", "password", "local_username", "local_password",
                 "keepalive_interval", "idle_timeout", "start_type", "threshold", "restart_timeout",
                 "try_private", "notifications", "notifications_local_only", "notification_topic",
                 "bridge_attempt_unsubscribe", "bridge_outgoing_retain", "bridge_max_packet_size",
                 "bridge_bind_address", "bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_keyfile",
                 "bridge_insecure", "bridge_tls_version", "bridge_alpn", "bridge_receive_maximum",
                 "bridge_session_expiry_interval" -> true;
            default -> false;
        };
    }

    private static void set(ConfigLine l, ConfigState s, Draft d) throws ConfigException {
        switch (l.name()) {
            case "address", "addresses" -> addresses(l, d);
            case "round_robin" -> d.roundRobin = Values.bool(l);
            case "topic" -> d.topics.add(topic(l));
            case "bridge_protocol_version" -> d.protocol = switch (Values.word(l)) {
                case "mqttv31" -> BridgeConfig.Protocol.MQTT31;
                case "mqttv311" -> BridgeConfig.Protocol.MQTT311;
                case "mqttv50" -> BridgeConfig.Protocol.MQTT50;
                default -> throw l.error("Invalid bridge_protocol_version value (" + l.value()
                        + "): must be mqttv31, mqttv311 or mqttv50.");
            };
            case "cleansession" -> d.cleanSession = Values.bool(l);
            case "local_cleansession" -> d.localCleanSession = Values.bool(l);
            case "local_clientid" -> d.localClientId = Values.word(l);
            case "remote_clientid", "clientid" -> d.remoteClientId = Values.word(l);
            case "remote_username", "username" -> d.remoteUsername = Values.string(l);
            case "remote_password", "password" -> d.remotePassword = Values.string(l);
            case "local_username" -> d.localUsername = Values.string(l);
            case "local_password" -> d.localPassword = Values.string(l);
            case "keepalive_interval" -> {
                d.keepalive = Values.integer(l, 0, 65_535);
                if (d.keepalive < 5) {
                    s.warn(l, "Bridge keepalive value is too low, using 5 seconds.");
                    d.keepalive = 5;
                }
            }
            case "idle_timeout" -> d.idleTimeout = Values.integer(l, 1, Integer.MAX_VALUE);
            case "start_type" -> d.startType = startType(l, s);
            case "threshold" -> d.threshold = Values.integer(l, 1, Integer.MAX_VALUE);
            case "restart_timeout" -> d.restartTimeout = restartTimeout(l);
            case "try_private" -> d.tryPrivate = Values.bool(l);
            case "notifications" -> d.notifications = Values.bool(l);
            case "notifications_local_only" -> d.notificationsLocalOnly = Values.bool(l);
            case "notification_topic" -> {
                String t = Values.word(l);
                if (!Topics.isValidTopicName(t)) {
                    throw l.error("Invalid notification_topic value (" + t + "): not a topic name.");
                }
                d.notificationTopic = t;
            }
            case "bridge_attempt_unsubscribe" -> d.attemptUnsubscribe = Values.bool(l);
            case "bridge_outgoing_retain" -> d.outgoingRetain = Values.bool(l);
            case "bridge_max_packet_size" -> d.maxPacketSize = (int) Values.limit(l, Values.MQTT_MAX_SIZE);
            case "bridge_bind_address" -> d.bindAddress = Values.word(l);
            case "bridge_cafile" -> d.cafile = Values.readableFile(l);
            case "bridge_capath" -> d.capath = Values.readableDirectory(l);
            case "bridge_certfile" -> d.certfile = Values.readableFile(l);
            case "bridge_keyfile" -> d.keyfile = Values.readableFile(l);
            case "bridge_insecure" -> d.insecure = Values.bool(l);
            case "bridge_tls_version" -> d.tlsVersion = Values.oneOf(l, "tlsv1.3", "tlsv1.2", "tlsv1.1");
            case "bridge_alpn" -> d.alpn = Values.word(l);
            case "bridge_receive_maximum" -> d.receiveMaximum = Values.integer(l, 1, 65_535);
            case "bridge_session_expiry_interval" -> d.sessionExpiryInterval = Values.limit(l, 0xFFFF_FFFFL);
            default -> throw new IllegalStateException(l.name());
        }
    }

    /** {@code host[:port]} words; the port after the last colon (so an IPv6 address needs one). */
    private static void addresses(ConfigLine l, Draft d) throws ConfigException {
        for (String word : Values.string(l).split("\\s+")) {
            int colon = word.lastIndexOf(':');
            String host = word;
            int port = 1883;
            if (colon >= 0) {
                host = word.substring(0, colon);
                String p = word.substring(colon + 1);
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw l.error("Invalid port value (" + p + ").");
                }
                if (port < 1 || port > 65_535) {
                    throw l.error("Invalid port value (" + port + ").");
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw l.error("Invalid " + l.name() + " value (" + word + "): no host.");
            }
            d.addresses.add(new BridgeConfig.Address(host, port));
        }
    }

    /** {@code topic PATTERN [[[out|in|both] QOS] LOCAL_PREFIX REMOTE_PREFIX]}, {@code ""} for empty. */
    static BridgeTopic topic(ConfigLine l) throws ConfigException {
        String[] w = Values.string(l).split("\\s+");
        if (w.length > 5) {
            throw l.error("Invalid topic value (" + l.value() + "): expected PATTERN [[[out|in|both] QOS] "
                    + "LOCAL_PREFIX REMOTE_PREFIX].");
        }
        String pattern = unquote(w[0]);
        BridgeTopic.Direction direction = BridgeTopic.Direction.OUT;
        if (w.length > 1) {
            direction = switch (w[1]) {
                case "out" -> BridgeTopic.Direction.OUT;
                case "in" -> BridgeTopic.Direction.IN;
                case "both" -> BridgeTopic.Direction.BOTH;
                default -> throw l.error("Invalid bridge topic direction '" + w[1] + "'.");
            };
        }
        int qos = 0;
        if (w.length > 2) {
            qos = switch (w[2]) {
                case "0" -> 0;
                case "1" -> 1;
                case "2" -> 2;
                default -> throw l.error("Invalid bridge QoS level '" + w[2] + "'.");
            };
        }
        String local = w.length > 3 ? unquote(w[3]) : "";
        String remote = w.length > 4 ? unquote(w[4]) : "";
        checkPrefix(l, "local", local);
        checkPrefix(l, "remote", remote);
        if (pattern.isEmpty() && (local.isEmpty() || remote.isEmpty())) {
            throw l.error("Invalid bridge remapping: an empty pattern needs both a local and a remote prefix.");
        }
        if (!Topics.isValidTopicFilter(local + pattern) || !Topics.isValidTopicFilter(remote + pattern)) {
            throw l.error("Invalid bridge topic '" + pattern + "': not a topic filter with its prefixes.");
        }
        return new BridgeTopic(pattern, direction, qos, local, remote);
    }

    private static void checkPrefix(ConfigLine l, String side, String prefix) throws ConfigException {
        if (prefix.contains("+") || prefix.contains("#")) {
            throw l.error("Invalid bridge topic " + side + " prefix '" + prefix + "'.");
        }
    }

    private static String unquote(String word) {
        return word.equals("\"\"") ? "" : word;
    }

    private static BridgeConfig.StartType startType(ConfigLine l, ConfigState s) throws ConfigException {
        return switch (Values.word(l)) {
            case "automatic" -> BridgeConfig.StartType.AUTOMATIC;
            case "once" -> BridgeConfig.StartType.ONCE;
            case "lazy" -> BridgeConfig.StartType.LAZY;
            case "manual" -> throw l.error("Manual start_type not supported.");
            default -> throw l.error("Invalid start_type value (" + l.value() + "): must be automatic, lazy or once.");
        };
    }

    /** {@code restart_timeout CONSTANT} or {@code restart_timeout BASE CAP}, seconds. */
    private static BridgeConfig.RestartTimeout restartTimeout(ConfigLine l) throws ConfigException {
        String[] w = Values.string(l).split("\\s+");
        if (w.length > 2) {
            throw l.error("Invalid restart_timeout value (" + l.value() + "): expected CONSTANT or BASE CAP.");
        }
        int base = seconds(l, w[0]);
        if (w.length == 1) {
            return new BridgeConfig.RestartTimeout(base, base, true);
        }
        int cap = seconds(l, w[1]);
        if (cap < base) {
            throw l.error("Invalid restart_timeout value (" + l.value() + "): the cap is below the base.");
        }
        return new BridgeConfig.RestartTimeout(base, cap, false);
    }

    private static int seconds(ConfigLine l, String word) throws ConfigException {
        try {
            int n = Integer.parseInt(word);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw l.error("Invalid restart_timeout value (" + l.value() + "): seconds must be whole numbers of 1 or more.");
    }

    /** The host name Mosquitto puts in default client ids (gethostname: the short name). */
    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the environment's name, else a fixed one
        }
        String env = System.getenv("HOSTNAME");
        if (env == null) {
            env = System.getenv("COMPUTERNAME");
        }
        return env == null || env.isBlank() ? "localhost" : env;
    }

    /** The bridges of the whole file, checked as blocks. */
    static List<BridgeConfig> finish(ConfigState s) throws ConfigException {
        List<BridgeConfig> out = new ArrayList<>();
        String host = s.bridges.isEmpty() ? null : hostName();
        for (Draft d : s.bridges) {
            out.add(d.build(host));
        }
        return List.copyOf(out);
    }
}
