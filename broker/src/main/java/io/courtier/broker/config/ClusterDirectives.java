package io.courtier.broker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's directives (Courtier's own): {@code cluster_name}, {@code cluster_node_name},
 * {@code cluster_listener PORT [ADDRESS]}, {@code cluster_member HOST:PORT} (repeatable),
 * {@code cluster_replicas N} and {@code cluster_discovery kubernetes DNS-NAME}. All global. The
 * whole-file rules (a name is needed, members or discovery but not both, no port shared with an
 * MQTT listener) are checked in {@link #finish}, naming the line that broke them.
 */
final class ClusterDirectives {

    private ClusterDirectives() {
    }

    /** What has been read so far; the lines are kept to name them in whole-file errors. */
    static final class Draft {
        String name;
        String nodeName;
        int port = ClusterConfig.DEFAULT_PORT;
        String address;
        ConfigLine listenerLine;
        final List<ClusterConfig.Member> members = new ArrayList<>();
        ConfigLine firstMember;
        int replicas = ClusterConfig.DEFAULT_REPLICAS;
        String kubernetesService;
        ConfigLine discoveryLine;
        /** The first cluster_* line: named when cluster_name is missing. */
        ConfigLine first;
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        if (!l.name().startsWith("cluster_")) {
            return false;
        }
        Draft d = s.cluster;
        switch (l.name()) {
            case "cluster_name" -> d.name = name(l);
            case "cluster_node_name" -> d.nodeName = name(l);
            case "cluster_listener" -> listener(l, d);
            case "cluster_member" -> {
                d.members.add(member(l));
                if (d.firstMember == null) {
                    d.firstMember = l;
                }
            }
            case "cluster_replicas" -> d.replicas = Values.integer(l, 0, ClusterConfig.MAX_REPLICAS);
            case "cluster_discovery" -> discovery(l, d);
            default -> {
                return false;
            }
        }
        if (d.first == null) {
            d.first = l;
        }
        return true;
    }

    /**
     * A cluster or node name: one word of letters, digits, {@code .}, {@code _} and {@code -}. The
     * node name becomes a {@code $SYS} topic level and part of a client id, so no {@code /},
     * {@code +}, {@code #} or control character may slip in.
     */
    private static String name(ConfigLine l) throws ConfigException {
        String v = Values.word(l);
        if (v.length() > 64 || !v.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_'
                || c == '-')) {
            throw l.error("Invalid " + l.name() + " value (" + v + "): use at most 64 letters, digits, '.', '_' or "
                    + "'-'.");
        }
        return v;
    }

    private static void listener(ConfigLine l, Draft d) throws ConfigException {
        String[] words = Values.string(l).split("\\s+");
        if (words.length > 2) {
            throw l.error("Invalid cluster_listener value (" + l.value() + "): expected PORT [ADDRESS].");
        }
        d.port = port(l, words[0]);
        d.address = words.length == 2 ? words[1] : null;
        d.listenerLine = l;
    }

    /** {@code HOST:PORT}, {@code [IPV6]:PORT}. */
    private static ClusterConfig.Member member(ConfigLine l) throws ConfigException {
        String v = Values.word(l);
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = ""; // an IPv6 address without brackets: its port cannot be told apart
        }
        if (host.isEmpty() || colon == v.length() - 1) {
            throw l.error("Invalid cluster_member value (" + v + "): expected HOST:PORT (an IPv6 address in "
                    + "brackets, [::1]:7946).");
        }
        return new ClusterConfig.Member(host, port(l, v.substring(colon + 1)));
    }

    private static int port(ConfigLine l, String v) throws ConfigException {
        int port;
        try {
            port = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw l.error("Invalid " + l.name() + " port (" + v + "): must be between 1 and 65535.");
        }
        return port;
    }

    private static void discovery(ConfigLine l, Draft d) throws ConfigException {
        String[] words = Values.string(l).split("\\s+");
        if (words.length != 2 || !words[0].equals("kubernetes")) {
            throw l.error("Invalid cluster_discovery value (" + l.value() + "): expected kubernetes SERVICE-DNS-NAME "
                    + "(e.g. kubernetes courtier.mqtt.svc.cluster.local).");
        }
        if (!words[1].matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw l.error("Invalid cluster_discovery service name (" + words[1] + "): not a DNS name.");
        }
        d.kubernetesService = words[1];
        d.discoveryLine = l;
    }

    /** The cluster settings, once the whole file is read; {@link ClusterConfig#NONE} without any line. */
    static ClusterConfig finish(ConfigState s, List<ListenerConfig> listeners) throws ConfigException {
        Draft d = s.cluster;
        if (d.first == null) {
            return ClusterConfig.NONE;
        }
        if (d.name == null) {
            throw d.first.error(d.first.name() + " needs cluster_name: nodes with the same cluster_name form a "
                    + "cluster.");
        }
        if (d.discoveryLine != null && d.firstMember != null) {
            throw d.discoveryLine.error("cluster_discovery and cluster_member (" + d.firstMember.where()
                    + ") cannot be used together: choose one way to find the peers.");
        }
        ConfigLine where = d.listenerLine != null ? d.listenerLine : d.first;
        if (d.port >= 65535) {
            throw where.error("cluster_listener port " + d.port + " leaves no room for the next port, which carries "
                    + "the messages nodes forward to each other: choose a port under 65535.");
        }
        for (ListenerConfig mqtt : listeners) {
            // The port after the cluster port carries forwarded messages (cluster.PeerLinks).
            if ((mqtt.port() == d.port || mqtt.port() == d.port + 1) && (d.address == null
                    || mqtt.bindAddress() == null || d.address.equals(mqtt.bindAddress()))) {
                throw where.error("cluster_listener port " + d.port + " or the next one (which carries forwarded "
                        + "messages) is also an MQTT listener's port " + mqtt.port() + ": give the cluster two ports "
                        + "of its own.");
            }
        }
        return new ClusterConfig(d.name, d.nodeName, d.port, d.address, d.members, d.replicas, d.kubernetesService);
    }
}
