package io.courtier.broker.config;

/**
 * One {@code topic PATTERN [[[out|in|both] QOS] LOCAL_PREFIX REMOTE_PREFIX]} line of a bridge
 * (mosquitto.conf(5)): the local filter is the local prefix before the pattern, the remote one the
 * remote prefix before it; a topic crossing the bridge loses one prefix and gains the other. A
 * pattern of {@code ""} maps one local topic (the local prefix) to one remote topic.
 */
public record BridgeTopic(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    /** Which way messages cross: out (local to remote), in (remote to local), or both. */
    public enum Direction {
        OUT, IN, BOTH;

        public boolean outgoing() {
            return this != IN;
        }

        public boolean incoming() {
            return this != OUT;
        }
    }

    /** The filter the bridge subscribes to on the local broker. */
    public String localFilter() {
        return localPrefix + pattern;
    }

    /** The filter the bridge subscribes to on the remote broker. */
    public String remoteFilter() {
        return remotePrefix + pattern;
    }

    /** A local topic matching {@link #localFilter()} as the remote broker gets it. */
    public String toRemote(String localTopic) {
        return remotePrefix + localTopic.substring(localPrefix.length());
    }

    /** A remote topic matching {@link #remoteFilter()} as the local broker gets it. */
    public String toLocal(String remoteTopic) {
        return localPrefix + remoteTopic.substring(remotePrefix.length());
    }
}
