package io.courtier.broker.persistence.mosquitto;

import io.courtier.codec.Properties;
import java.util.List;

/**
 * What a Mosquitto persistence file ({@code mosquitto.db}) held, as far as it could be read:
 * the chunks in file order, and the problems met (a truncated tail, a chunk that does not
 * decode). Times are Mosquitto's: seconds since the epoch, 0 for "never".
 */
public record MosquittoDb(int version, List<BaseMessage> messages, List<Client> clients,
                          List<ClientMessage> clientMessages, List<Subscription> subscriptions,
                          List<Long> retained, List<String> problems) {

    /** True when the whole file was read without a problem. */
    public boolean complete() {
        return problems.isEmpty();
    }

    /** A stored message (chunk 2), referred to by its store id from client messages and retained entries. */
    public record BaseMessage(long storeId, long expiryTime, String sourceId, String sourceUsername, String topic,
                              int qos, boolean retain, byte[] payload, Properties properties) {
    }

    /** A persistent session (chunk 6); {@code expiryInterval} 0xFFFFFFFF means it never expires. */
    public record Client(String clientId, long expiryTime, long expiryInterval, int lastMid, String username) {
    }

    /**
     * One message in a session's queue (chunk 3), in Mosquitto's order: for each client the
     * in-flight messages, then the queued ones. {@code state} is Mosquitto's mosq_msg_state.
     */
    public record ClientMessage(String clientId, long storeId, int mid, int qos, int state, boolean retain,
                                boolean dup, boolean outgoing, int subscriptionId) {
    }

    /** A subscription (chunk 5); {@code options} are the MQTT 5 subscription options without the QoS bits. */
    public record Subscription(String clientId, String filter, int qos, int options, int identifier) {
    }

    /** Mosquitto's message states (enum mosquitto_msg_state in mosquitto_internal.h). */
    public static final class States {
        public static final int PUBLISH_QOS0 = 1;
        public static final int PUBLISH_QOS1 = 2;
        public static final int WAIT_FOR_PUBACK = 3;
        public static final int PUBLISH_QOS2 = 4;
        public static final int WAIT_FOR_PUBREC = 5;
        public static final int RESEND_PUBREL = 6;
        public static final int WAIT_FOR_PUBREL = 7;
        public static final int RESEND_PUBCOMP = 8;
        public static final int WAIT_FOR_PUBCOMP = 9;
        public static final int SEND_PUBREC = 10;
        public static final int QUEUED = 11;

        private States() {
        }
    }
}
