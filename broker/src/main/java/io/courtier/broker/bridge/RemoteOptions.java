package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import io.courtier.client.MqttClientOptions;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Will;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The client options a bridge connects to one remote address with, from its {@code connection}
 * block: protocol version, remote client id and credentials, clean session, keep alive, the
 * try_private bridge bit, TLS, the will that says the link is down, the bind address, and MQTT 5's
 * session expiry and Receive Maximum.
 */
final class RemoteOptions {

    /** How long one connection attempt may take before the next address is tried. */
    static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private RemoteOptions() {
    }

    static MqttClientOptions of(BridgeConfig config, BridgeConfig.Address a, boolean tryPrivate, SslContext tls) {
        MqttVersion version = switch (config.protocol()) {
            case MQTT31 -> MqttVersion.V3_1;
            case MQTT311 -> MqttVersion.V3_1_1;
            case MQTT50 -> MqttVersion.V5;
        };
        MqttClientOptions.Builder b = MqttClientOptions.builder().host(a.host()).port(a.port()).version(version)
                .clientId(config.remoteClientId()).cleanStart(config.cleanSession())
                .keepAlive(config.keepaliveInterval()).connectTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .bridge(tryPrivate).sslContext(tls);
        if (config.remoteUsername() != null) {
            b.username(config.remoteUsername());
            if (config.remotePassword() != null) {
                b.password(config.remotePassword().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (config.notifications() && !config.notificationsLocalOnly()) {
            b.will(new Will(config.notificationTopic(), new byte[] {'0'}, 1, true, Properties.NONE));
        }
        if (config.bindAddress() != null) {
            b.bindAddress(new InetSocketAddress(config.bindAddress(), 0));
        }
        if (version.isV5()) {
            Properties.Builder p = Properties.builder();
            if (config.sessionExpiryInterval() > 0) {
                p.add(PropertyId.SESSION_EXPIRY_INTERVAL, config.sessionExpiryInterval());
            }
            if (config.receiveMaximum() > 0) {
                p.add(PropertyId.RECEIVE_MAXIMUM, config.receiveMaximum());
            }
            b.connectProperties(p.build());
        }
        return b.build();
    }
}
