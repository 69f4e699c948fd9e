package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import io.courtier.broker.config.TlsConfig;
import io.courtier.testkit.External;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss://: a websockets listener with certfile/keyfile, reached by Paho over TLS. */
public class SecureWebSocketTest {

    /** A throwaway self-signed certificate for 127.0.0.1, made by openssl. */
    public static TlsConfig selfSigned(Path dir) throws Exception {
        Process p = new ProcessBuilder(External.require("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new TlsConfig(dir.resolve("cert.pem"), dir.resolve("key.pem"), null, null, null, null, null, false,
                false, false, null);
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return ctx;
    }

    @Test
    void pahoOverWssTalksToATcpClient(@TempDir Path dir) throws Exception {
        TlsConfig tls = selfSigned(dir);
        try (Broker broker = Broker.start(BrokerConfig.builder().listeners(List.of(
                        ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.WEBSOCKETS).withTls(tls)))
                .allowAnonymous(true).build(), "test")) {
            int tcp = broker.boundAddresses().get(0).getPort();
            int wss = broker.boundAddresses().get(1).getPort();
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            MqttClient secure = new MqttClient("wss://127.0.0.1:" + wss + "/mqtt", "paho-wss", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setSocketFactory(trustAll().getSocketFactory());
            o.setHttpsHostnameVerificationEnabled(false);
            secure.connect(o);
            secure.subscribe("secure/#", 1, (t, m) -> got.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            MqttClient plain = new MqttClient("tcp://127.0.0.1:" + tcp, "paho-plain", new MemoryPersistence());
            plain.connect();
            plain.publish("secure/a", "over tls".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("secure/a over tls");
            secure.disconnect();
            plain.disconnect();
            assertThat(Files.exists(dir.resolve("cert.pem"))).isTrue();
        }
    }
}
