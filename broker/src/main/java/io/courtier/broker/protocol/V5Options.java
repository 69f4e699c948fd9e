package io.courtier.broker.protocol;

import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;

/**
 * What an MQTT 5 client told us in CONNECT, and the inbound topic alias table (the outbound one
 * is the encoder's: {@link io.courtier.codec.MqttEncoder#useTopicAliases}). Defaults
 * are the standard's for absent properties, which is also what a 3.1/3.1.1 client gets. Owned by
 * the connection's event loop.
 */
final class V5Options {

    /** Request Problem Information: reason strings only when not 0 [MQTT-3.1.2-29]. */
    boolean requestProblemInformation = true;
    /** The client's Receive Maximum: our outbound QoS 1/2 window [MQTT-3.3.4-9]. */
    int receiveMaximum = 65_535;
    /** The client's Maximum Packet Size, 0 = no limit. */
    long maximumPacketSize;
    /** The client's Topic Alias Maximum: how many aliases we may use towards it. */
    int topicAliasMaximum;
    /** Session Expiry Interval given in CONNECT (0 when absent) [MQTT-3.14.2-2]. */
    long connectSessionExpiry;

    /** The Topic Alias Maximum we announced to this client (0: none, and always for 3.1/3.1.1). */
    int inboundAliasMaximum;
    /**
     * Inbound aliases the client set, indexed by alias (1..inboundAliasMaximum); per connection
     * [MQTT-3.3.2-7]. Made on the first alias the client sets: most clients never use one.
     */
    private String[] inboundAliases;
    /** QoS 1 PUBLISHes received and not yet acknowledged, against our Receive Maximum. */
    int inboundQos1Pending;

    /** The topic the client mapped to {@code alias}, or null when it has not set that alias. */
    String inboundAlias(int alias) {
        return inboundAliases == null ? null : inboundAliases[alias];
    }

    /** Maps {@code alias} (at most {@link #inboundAliasMaximum}) to {@code topic} for later PUBLISHes. */
    void setInboundAlias(int alias, String topic) {
        if (inboundAliases == null) {
            inboundAliases = new String[inboundAliasMaximum + 1];
        }
        inboundAliases[alias] = topic;
    }

    /**
     * A Reason String property for an MQTT 5 response, or none: only when the client did not set
     * Request Problem Information to 0 [MQTT-3.1.2-29], and never past its Maximum Packet Size
     * (callers drop it when the packet would not fit [MQTT-3.1.2-25]).
     */
    Properties reasonString(String why) {
        if (!requestProblemInformation || why == null) {
            return Properties.NONE;
        }
        return Properties.builder().add(PropertyId.REASON_STRING, why).build();
    }

    void readConnect(Properties p) {
        Integer rpi = p.integer(PropertyId.REQUEST_PROBLEM_INFORMATION);
        requestProblemInformation = rpi == null || rpi != 0;
        Integer rm = p.integer(PropertyId.RECEIVE_MAXIMUM);
        receiveMaximum = rm == null ? 65_535 : rm;
        Long mps = p.fourByte(PropertyId.MAXIMUM_PACKET_SIZE);
        maximumPacketSize = mps == null ? 0 : mps;
        Integer tam = p.integer(PropertyId.TOPIC_ALIAS_MAXIMUM);
        topicAliasMaximum = tam == null ? 0 : tam;
        Long sei = p.fourByte(PropertyId.SESSION_EXPIRY_INTERVAL);
        connectSessionExpiry = sei == null ? 0 : sei;
    }
}
