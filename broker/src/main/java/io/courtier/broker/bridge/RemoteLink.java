package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import io.courtier.broker.config.BridgeTopic;
import io.courtier.broker.session.ClientLink;
import io.courtier.broker.session.ConnectionInfo;
import io.courtier.client.MqttClient;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Publish;

/**
 * The bridge's local session sees the remote broker as its client's connection: what the session
 * sends (PUBLISH under a local topic, PUBREL) goes to the remote broker with the topic remapped
 * (local prefix off, remote prefix on) and, with {@code bridge_outgoing_retain false}, without
 * the RETAIN flag. Packet ids are the session's, so its in-flight window, queue and resends on
 * reconnection [MQTT-4.4.0-1] work for the remote broker as for any client. One per connection;
 * used on the session's (and client's) event loop.
 */
final class RemoteLink implements ClientLink {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("courtier");

    private final BridgeConfig config;
    private final MqttClient client;
    private final String address;
    private final int receiveMaximum;
    private final long maxPacketSize;

    RemoteLink(BridgeConfig config, MqttClient client, String address, int receiveMaximum, long maxPacketSize) {
        this.config = config;
        this.client = client;
        this.address = address;
        this.receiveMaximum = receiveMaximum;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void send(MqttPacket packet) {
        if (packet instanceof Publish p) {
            client.write(toRemote(p));
        } else {
            client.write(packet);
        }
    }

    /** The PUBLISH as the remote broker gets it; consumes {@code p}. */
    private Publish toRemote(Publish p) {
        String topic = p.topic();
        String remote = topic.equals(config.notificationTopic()) ? topic : remoteTopic(topic);
        boolean retain = p.retained() && config.outgoingRetain();
        // Subscription identifiers are the local subscription's; the remote broker's are its own.
        io.courtier.codec.Properties props = p.properties().contains(PropertyId.SUBSCRIPTION_IDENTIFIER)
                ? p.properties().toBuilder().remove(PropertyId.SUBSCRIPTION_IDENTIFIER).build() : p.properties();
        if (remote.equals(topic) && retain == p.retained() && props == p.properties()) {
            return p;
        }
        return new Publish(remote, p.qos(), retain, p.dup(), p.packetId(), props, p.payload());
    }

    /** The first out/both topic whose local filter matches names the remote topic. */
    private String remoteTopic(String localTopic) {
        for (BridgeTopic t : config.topics()) {
            if (t.direction().outgoing() && io.courtier.broker.routing.TopicMatcher.matches(t.localFilter(), localTopic)) {
                return t.toRemote(localTopic);
            }
        }
        return localTopic; // subscribed through a topic line since removed: sent as it is
    }

    @Override
    public boolean isWritable() {
        return client.isWritable();
    }

    @Override
    public void takeOver() {
        // Nothing here closes: the remote connection belongs to the bridge, which retries it.
        LOG.warn("A client connected as {}, the local client id of bridge {}: it took the bridge's session over. "
                + "Give it another client id.", config.localClientId(), config.name());
    }

    /** The console's Disconnect on the bridge's session: the link drops and the bridge connects again. */
    @Override
    public void disconnectByAdministrator() {
        client.dropConnection();
    }

    @Override
    public int receiveMaximum() {
        return receiveMaximum;
    }

    @Override
    public boolean fits(MqttPacket packet) {
        if (maxPacketSize <= 0 || !(packet instanceof Publish p)) {
            return true;
        }
        // Fixed header (up to 5), topic, packet id, properties (approximate), payload.
        long size = 5 + 2 + p.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 + 16 + p.payload().readableBytes();
        return size <= maxPacketSize;
    }

    @Override
    public ConnectionInfo info() {
        String protocol = switch (config.protocol()) {
            case MQTT31 -> "3.1";
            case MQTT311 -> "3.1.1";
            case MQTT50 -> "5";
        };
        return new ConnectionInfo(address, protocol, config.keepaliveInterval(), config.remoteUsername(), "bridge");
    }
}
