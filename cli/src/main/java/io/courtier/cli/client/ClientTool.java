package io.courtier.cli.client;

import io.courtier.client.ClientTls;
import io.courtier.client.MqttClientOptions;
import io.courtier.client.MqttConnectException;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Will;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What {@code courtier pub} and {@code courtier sub} share: usage errors, connection set-up, connection errors. */
public final class ClientTool {
    private ClientTool() {
    }

    /** Prints a usage error the way Mosquitto's tools do and returns the exit status (1). */
    public static int usageError(UsageException e, ClientConfig.Tool tool, PrintStream out, PrintStream err) {
        switch (e.hint()) {
            case HELP -> {
                out.print(Usage.text(tool));
                out.flush();
            }
            case FULL_USAGE -> {
                err.println("Error: " + e.getMessage());
                out.print(Usage.text(tool));
                out.flush();
            }
            case NONE -> err.println(e.getMessage().startsWith("\n") ? e.getMessage() : "Error: " + e.getMessage());
            case SEE_HELP -> {
                err.println("Error: " + e.getMessage());
                err.println();
                err.println("Use '" + tool.command() + " --help' to see usage.");
            }
        }
        err.flush();
        return 1;
    }

    /** The identifier to connect with: -i, else -I plus the process id, else empty (the broker assigns one). */
    static String clientId(ClientConfig c) {
        if (c.clientId != null) {
            return c.clientId;
        }
        if (c.idPrefix != null) {
            return c.idPrefix + ProcessHandle.current().pid();
        }
        if (c.version == MqttVersion.V3_1) {
            // MQTT 3.1 requires 1 to 23 characters [MQTT-3.1, section 3.1]: make one up.
            String chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
            SecureRandom r = new SecureRandom();
            StringBuilder sb = new StringBuilder("mosq-");
            for (int i = 0; i < 18; i++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            return sb.toString();
        }
        return "";
    }

    /** Thrown for settings that only fail when put together (TLS files); the message is printed as is. */
    public static final class SetupException extends Exception {
        SetupException(String message) {
            super(message, null, false, false);
        }
    }

    /** Client options for a parsed command line; with {@code -d}, packets are traced to {@code out}. */
    public static MqttClientOptions.Builder options(ClientConfig c, String clientId, Output out) throws SetupException {
        MqttClientOptions.Builder b = MqttClientOptions.builder()
                .host(c.effectiveHost()).port(c.effectivePort()).version(c.version).clientId(clientId)
                .cleanStart(c.cleanSession).keepAlive(c.keepAlive).maxInflight(c.maxInflight)
                .tcpNoDelay(true).webSocketPath(c.webSocketPath);
        if (c.username != null) {
            b.username(c.username);
        }
        if (c.password != null) {
            b.password(c.password.getBytes(StandardCharsets.UTF_8));
        }
        if (c.bindAddress != null) {
            b.bindAddress(new InetSocketAddress(c.bindAddress, 0));
        }
        if (c.willTopic != null) {
            b.will(new Will(c.willTopic, c.willPayload == null ? new byte[0] : c.willPayload, c.willQos, c.willRetain,
                    c.version.isV5() ? c.willProperties.build() : Properties.NONE));
        }
        if (c.version.isV5()) {
            Properties.Builder p = c.connectProperties;
            if (c.sessionExpiry == -1) {
                p.set(PropertyId.SESSION_EXPIRY_INTERVAL, 4294967295L);
            } else if (c.sessionExpiry > 0) {
                p.set(PropertyId.SESSION_EXPIRY_INTERVAL, c.sessionExpiry);
            }
            b.connectProperties(p.build());
        }
        if (c.tls()) {
            if (c.caFile != null && !Files.isReadable(c.caFile)
                    || c.certFile != null && !Files.isReadable(c.certFile)
                    || c.keyFile != null && !Files.isReadable(c.keyFile)) {
                throw new SetupException("Error: Problem setting TLS options: File not found.");
            }
            try {
                b.sslContext(ClientTls.context(c.caFile, c.caPath, c.certFile, c.keyFile, c.tlsVersion, c.insecure,
                        c.caFile == null && c.caPath == null, c.tlsAlpn));
            } catch (ClientTls.TlsConfigException e) {
                throw new SetupException("Error: Problem setting TLS options, check the options are valid.");
            }
        }
        if (c.debug) {
            b.packetListener(new DebugLog(out, clientId));
        }
        return b;
    }

    /**
     * Prints why connecting failed and returns the exit status: the CONNACK code when the broker
     * refused, 1 for a network error. Nothing is printed under --quiet.
     */
    public static int connectError(Throwable t, ClientConfig c, PrintStream err) {
        Throwable cause = unwrap(t);
        if (cause instanceof MqttConnectException refused) {
            if (!c.quiet) {
                err.println("Connection error: " + refused.getMessage());
                if (c.tool == ClientConfig.Tool.PUB) {
                    err.println(refused.version().isV5()
                            ? "Error: A network protocol error occurred when communicating with the broker."
                            : "Error: The connection was refused.");
                }
            }
            return refused.reasonCode();
        }
        if (!c.quiet) {
            err.println(networkError(cause));
        }
        // libmosquitto's MOSQ_ERR_TLS for a failed handshake, 1 for other network errors.
        return isTls(cause) ? TLS_ERROR : 1;
    }

    /** mosquitto_pub/sub's exit status when the TLS handshake fails. */
    static final int TLS_ERROR = 8;

    static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    /** What mosquitto's tools print when the network fails (for {@code courtier ctrl}). */
    public static String describeNetworkError(Throwable cause) {
        return networkError(cause);
    }

    /** The failure under the future's wrapping (for {@code courtier ctrl}). */
    public static Throwable unwrapCause(Throwable t) {
        return unwrap(t);
    }

    static String networkError(Throwable cause) {
        if (cause instanceof UnknownHostException) {
            return "Unable to connect (Lookup error.).";
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            String m = String.valueOf(cause.getMessage());
            if (m.contains("refused")) {
                return "Error: Connection refused";
            }
            if (m.contains("timed out")) {
                return "Error: Connection timed out";
            }
            if (cause instanceof NoRouteToHostException) {
                return "Error: No route to host";
            }
        }
        if (isTls(cause)) {
            return "Error: A TLS error occurred.";
        }
        String m = cause == null ? null : cause.getMessage();
        return "Error: " + (m == null ? "The connection was lost." : m);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof io.courtier.client.ConnectionLostException && t.getCause() != null) {
            return unwrap(t.getCause());
        }
        return t;
    }
}
