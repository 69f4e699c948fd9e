package io.courtier.cli.client;

import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@code courtier pub} or {@code courtier sub} run, as
 * {@link ClientArgs} read them from mosquitto_pub/mosquitto_sub style flags. Plain fields:
 * this is a parse result, filled once and then read.
 */
public final class ClientConfig {

    /** Which tool is parsing: some flags belong to one only. */
    public enum Tool {
        PUB("pub"), SUB("sub");

        private final String name;

        Tool(String name) {
            this.name = name;
        }

        /** "courtier pub" or "courtier sub", as error messages name the command. */
        public String command() {
            return "courtier " + name;
        }
    }

    /** How {@code courtier pub} gets its payload. */
    public enum MessageMode { NONE, COMMAND_LINE, FILE, STDIN_FILE, STDIN_LINE, NULL }

    public final Tool tool;

    // Connection.
    public String host;
    public int port = -1;
    public String bindAddress;
    public MqttVersion version = MqttVersion.V3_1_1;
    public boolean versionGiven;
    public String clientId;
    public String idPrefix;
    public boolean cleanSession = true;
    public int keepAlive = 60;
    public String username;
    public String password;
    public long sessionExpiry = -2; // -2 = not given; -1 = never expires
    public int maxInflight = 20;
    public boolean noDelay;
    public boolean debug;
    public boolean quiet;
    public String webSocketPath;

    // Will.
    public String willTopic;
    public byte[] willPayload;
    public int willQos;
    public boolean willRetain;

    // TLS.
    public Path caFile;
    public Path caPath;
    public Path certFile;
    public Path keyFile;
    public String tlsVersion;
    /** --tls-alpn: the protocol offered in the TLS handshake's ALPN extension, or null. */
    public String tlsAlpn;
    public boolean insecure;
    public boolean tlsUseOsCerts;
    public boolean tlsFromUrl;

    // MQTT 5 properties from -D, per packet.
    public final Properties.Builder connectProperties = Properties.builder();
    public final Properties.Builder publishProperties = Properties.builder();
    public final Properties.Builder willProperties = Properties.builder();
    public final Properties.Builder subscribeProperties = Properties.builder();
    public final Properties.Builder unsubscribeProperties = Properties.builder();
    public final Properties.Builder disconnectProperties = Properties.builder();

    public int qos;

    // pub.
    public String topic;
    public MessageMode messageMode = MessageMode.NONE;
    public byte[] message;
    public Path file;
    public boolean retain;
    public int repeatCount = 1;
    public double repeatDelaySeconds;

    // sub.
    public final List<String> topics = new ArrayList<>();
    public final List<String> filterOut = new ArrayList<>();
    public final List<String> unsubscribeTopics = new ArrayList<>();
    public boolean verbose;
    public boolean eol = true;
    public int messageCount;
    public int timeoutSeconds;
    public boolean noRetained;
    public boolean retainedOnly;
    public boolean removeRetained;
    public boolean retainAsPublished;
    public boolean exitAfterSubscribe;
    public String format;
    public boolean pretty;
    public double randomFilter = 100.0;

    public ClientConfig(Tool tool) {
        this.tool = tool;
    }

    /** Whether the connection uses TLS: a CA was named, OS certificates asked for, or mqtts:// used. */
    public boolean tls() {
        return caFile != null || caPath != null || tlsUseOsCerts || tlsFromUrl;
    }

    /** The port to use: the one given, else 8883 with TLS or 1883 without. */
    public int effectivePort() {
        if (port >= 0) {
            return port;
        }
        if (webSocketPath != null) {
            return tls() ? 443 : 80;
        }
        return tls() ? 8883 : 1883;
    }

    public String effectiveHost() {
        return host != null ? host : "localhost";
    }
}
