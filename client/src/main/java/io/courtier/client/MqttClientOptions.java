package io.courtier.client;

import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.Will;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Everything a {@link MqttClient} needs to reach and greet a broker. Immutable; build one with
 * {@link #builder()}. Defaults follow Mosquitto's clients: localhost:1883, MQTT 3.1.1, clean
 * session, 60 s keepalive, 20 messages in flight.
 */
public final class MqttClientOptions {

    private final String host;
    private final int port;
    private final MqttVersion version;
    private final String clientId;
    private final boolean cleanStart;
    private final int keepAlive;
    private final String username;
    private final byte[] password;
    private final Will will;
    private final Properties connectProperties;
    private final int maxInflight;
    private final int maxPacketSize;
    private final SslContext sslContext;
    private final String webSocketPath;
    private final long connectTimeoutMillis;
    private final boolean autoReconnect;
    private final long reconnectDelayMillis;
    private final InetSocketAddress bindAddress;
    private final boolean tcpNoDelay;
    private final PacketListener packetListener;
    private final boolean bridge;

    private MqttClientOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.version = b.version;
        this.clientId = b.clientId;
        this.cleanStart = b.cleanStart;
        this.keepAlive = b.keepAlive;
        this.username = b.username;
        this.password = b.password;
        this.will = b.will;
        this.connectProperties = b.connectProperties;
        this.maxInflight = b.maxInflight;
        this.maxPacketSize = b.maxPacketSize;
        this.sslContext = b.sslContext;
        this.webSocketPath = b.webSocketPath;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.autoReconnect = b.autoReconnect;
        this.reconnectDelayMillis = b.reconnectDelayMillis;
        this.bindAddress = b.bindAddress;
        this.tcpNoDelay = b.tcpNoDelay;
        this.packetListener = b.packetListener;
        this.bridge = b.bridge;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public MqttVersion version() {
        return version;
    }

    /** The client identifier sent in CONNECT; empty lets a v5 broker assign one. */
    public String clientId() {
        return clientId;
    }

    public boolean cleanStart() {
        return cleanStart;
    }

    public int keepAlive() {
        return keepAlive;
    }

    public String username() {
        return username;
    }

    public byte[] password() {
        return password;
    }

    public Will will() {
        return will;
    }

    public Properties connectProperties() {
        return connectProperties;
    }

    /** Most QoS 1/2 PUBLISHes awaiting acknowledgement at once; more wait in order. */
    public int maxInflight() {
        return maxInflight;
    }

    /** Largest packet accepted from the broker; 0 = the protocol's maximum. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** TLS when not null. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** MQTT over WebSocket to this path when not null (subprotocol "mqtt"). */
    public String webSocketPath() {
        return webSocketPath;
    }

    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public boolean autoReconnect() {
        return autoReconnect;
    }

    public long reconnectDelayMillis() {
        return reconnectDelayMillis;
    }

    public InetSocketAddress bindAddress() {
        return bindAddress;
    }

    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** Whether CONNECT says this client is a Mosquitto-style bridge (try_private; 3.1/3.1.1 only). */
    public boolean bridge() {
        return bridge;
    }

    public PacketListener packetListener() {
        return packetListener;
    }

    /** Mutable builder; every setter returns the builder. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 1883;
        private MqttVersion version = MqttVersion.V3_1_1;
        private String clientId = "";
        private boolean cleanStart = true;
        private int keepAlive = 60;
        private String username;
        private byte[] password;
        private Will will;
        private Properties connectProperties = Properties.NONE;
        private int maxInflight = 20;
        private int maxPacketSize = 0;
        private SslContext sslContext;
        private String webSocketPath;
        private long connectTimeoutMillis = 30_000;
        private boolean autoReconnect;
        private long reconnectDelayMillis = 1_000;
        private InetSocketAddress bindAddress;
        private boolean tcpNoDelay = true;
        private PacketListener packetListener = PacketListener.NONE;
        private boolean bridge;

        public Builder host(String value) {
            this.host = Objects.requireNonNull(value);
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder version(MqttVersion value) {
            this.version = Objects.requireNonNull(value);
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = Objects.requireNonNull(value);
            return this;
        }

        public Builder cleanStart(boolean value) {
            this.cleanStart = value;
            return this;
        }

        public Builder keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        public Builder password(byte[] value) {
            this.password = value;
            return this;
        }

        public Builder will(Will value) {
            this.will = value;
            return this;
        }

        public Builder connectProperties(Properties value) {
            this.connectProperties = Objects.requireNonNull(value);
            return this;
        }

        public Builder maxInflight(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxInflight must be at least 1");
            }
            this.maxInflight = value;
            return this;
        }

        public Builder maxPacketSize(int value) {
            this.maxPacketSize = value;
            return this;
        }

        public Builder sslContext(SslContext value) {
            this.sslContext = value;
            return this;
        }

        public Builder webSocketPath(String value) {
            this.webSocketPath = value;
            return this;
        }

        public Builder connectTimeoutMillis(long value) {
            this.connectTimeoutMillis = value;
            return this;
        }

        public Builder autoReconnect(boolean value) {
            this.autoReconnect = value;
            return this;
        }

        public Builder reconnectDelayMillis(long value) {
            this.reconnectDelayMillis = value;
            return this;
        }

        public Builder bindAddress(InetSocketAddress value) {
            this.bindAddress = value;
            return this;
        }

        public Builder tcpNoDelay(boolean value) {
            this.tcpNoDelay = value;
            return this;
        }

        /** Marks CONNECT as a bridge's (Mosquitto's try_private); ignored for MQTT 5. */
        public Builder bridge(boolean value) {
            this.bridge = value;
            return this;
        }

        public Builder packetListener(PacketListener value) {
            this.packetListener = Objects.requireNonNull(value);
            return this;
        }

        public MqttClientOptions build() {
            return new MqttClientOptions(this);
        }
    }
}
