package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.broker.config.TlsConfig;
import io.courtier.testkit.External;
import io.courtier.testkit.Paho;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS listeners with Debian's mosquitto_pub and with Paho over SSL. */
class TlsTest {

    @TempDir
    static Path dir;
    static TestCertificates pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestCertificates.create(dir);
    }

    static TlsConfig tls(String server, boolean requireCertificate, boolean identity, boolean subject, Path crl,
                         String version) {
        return new TlsConfig(pki.file(server + ".crt"), pki.file(server + ".key"), pki.file("ca.crt"), null,
                version, null, crl, requireCertificate, identity, subject, null);
    }

    static Broker start(TlsConfig tls, SecurityConfig security) {
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1").withTls(tls)));
        b.security = security;
        return Broker.start(b.build(), "test");
    }

    static External.Result mosquittoPub(Broker broker, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "localhost", "-p",
                String.valueOf(broker.port()), "--cafile", pki.file("ca.crt").toString(), "-q", "1"));
        for (String e : extra) {
            cmd.add(e.startsWith("PKI:") ? pki.file(e.substring(4)).toString() : e);
        }
        return External.run(cmd);
    }

    static MqttClient paho(Broker broker, String clientId, String certificate) throws Exception {
        MqttConnectOptions o = Paho.options(null, null);
        o.setSocketFactory(pki.clientContext(certificate).getSocketFactory());
        return Paho.connect("ssl://localhost:" + broker.port(), clientId, o);
    }

    @Test
    void serverCertificateOnlyWithMosquittoPubAndPaho() throws Exception {
        try (Broker broker = start(tls("server", false, false, false, null, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            MqttClient sub = paho(broker, "sub", null);
            List<String> got = Paho.record(sub, "t/#");
            External.Result r = mosquittoPub(broker, "-t", "t/1", "-m", "over tls");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("t/1 over tls"));
            Paho.closeQuietly(sub);
        }
    }

    @Test
    void aPlainClientOnATlsPortIsRefusedWithOneLogLine() throws Exception {
        try (Broker broker = start(tls("server", false, false, false, null, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            External.Result plain = External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                    String.valueOf(broker.port()), "-t", "t", "-m", "x"));
            assertThat(plain.exitCode()).isNotZero();
            // and the broker still serves TLS clients
            assertThat(mosquittoPub(broker, "-t", "t", "-m", "x").exitCode()).isZero();
        }
    }

    /**
     * A socket that opens and closes without a byte (a port scan, a load balancer's health check)
     * gets one clear line, not a connection line plus "handshake failed: null" (issue 25).
     */
    @Test
    void aSocketClosedBeforeTheHandshakeIsOneClearLogLine() throws Exception {
        try (io.courtier.broker.testing.LogCapture log = io.courtier.broker.testing.LogCapture.broker();
             Broker broker = start(tls("server", false, false, false, null, null),
                     SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            new java.net.Socket("127.0.0.1", broker.port()).close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> log.contains("TLS handshake") || log.contains("closed before"));
            java.util.List<String> lines = log.messages().stream()
                    .filter(m -> m.contains("127.0.0.1") && !m.contains("listen socket")).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).matches("Socket from 127\\.0\\.0\\.1:\\d+ closed before the TLS handshake\\.")
                    .doesNotContain("null");
            assertThat(log.anyThrowable()).isFalse();
        }
    }

    @Test
    void ciphersLimitTls12Suites() throws Exception {
        TlsConfig t = new TlsConfig(pki.file("server.crt"), pki.file("server.key"), pki.file("ca.crt"), null, null,
                "ECDHE-ECDSA-AES128-GCM-SHA256", null, false, false, false, null);
        try (Broker broker = start(t, SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            for (String suite : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")) {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) pki.clientContext(null).getSocketFactory()
                        .createSocket("localhost", broker.port())) {
                    s.setEnabledProtocols(new String[] {"TLSv1.2"});
                    s.setEnabledCipherSuites(new String[] {suite});
                    if (suite.contains("128")) {
                        s.startHandshake();
                        assertThat(s.getSession().getCipherSuite()).isEqualTo(suite);
                    } else {
                        assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
                    }
                }
            }
            assertThat(mosquittoPub(broker, "-t", "t", "-m", "TLS 1.3 keeps its suites").exitCode()).isZero();
        }
    }

    @Test
    void rsaKeyInPkcs1FormAndTls13Only() throws Exception {
        try (Broker broker = start(tls("server-rsa", false, false, false, null, "tlsv1.3"),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            assertThat(mosquittoPub(broker, "-t", "t", "-m", "x").exitCode()).isZero();
            // mosquitto_pub's --tls-version is a minimum too, so a JDK client offering TLS 1.2 alone shows it.
            for (String[] offered : new String[][] {{"TLSv1.2"}, {"TLSv1.3"}}) {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) pki.clientContext(null).getSocketFactory()
                        .createSocket("localhost", broker.port())) {
                    s.setEnabledProtocols(offered);
                    if (offered[0].equals("TLSv1.2")) {
                        assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
                    } else {
                        s.startHandshake();
                        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
                    }
                }
            }
        }
    }

    @Test
    void clientCertificateCommonNameIsTheUsernameForTheAcl() throws Exception {
        Path acl = dir.resolve("tls.acl");
        Files.writeString(acl, "user sensor-1\ntopic write sensors/#\nuser reader\ntopic read sensors/#\n");
        // no password file and no anonymous clients: the certificate alone lets clients in
        try (Broker broker = start(tls("server", true, true, false, null, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(false).withAclFile(acl))) {
            MqttClient reader = paho(broker, "reader-1", "reader");
            List<String> got = Paho.record(reader, "#");
            assertThat(mosquittoPub(broker, "--cert", "PKI:sensor.crt", "--key", "PKI:sensor.key", "-t", "other",
                    "-m", "dropped").exitCode()).as("a denied publish is acknowledged").isZero();
            External.Result ok = mosquittoPub(broker, "--cert", "PKI:sensor.crt", "--key", "PKI:sensor.key",
                    "-u", "ignored", "-P", "ignored", "-t", "sensors/t", "-m", "21.5");
            assertThat(ok.exitCode()).as(ok.stderr()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("sensors/t 21.5"));
            assertThat(got).containsExactly("sensors/t 21.5");
            assertThat(mosquittoPub(broker, "-t", "sensors/t", "-m", "no cert").exitCode())
                    .as("require_certificate: no certificate, no connection").isNotZero();
            Paho.closeQuietly(reader);
        }
    }

    @Test
    void theJdkFallbackServesClientCertificatesToo() throws Exception {
        System.setProperty("courtier.tls.provider", "jdk");
        try {
            clientCertificateCommonNameIsTheUsernameForTheAcl();
            revokedCertificateIsRefusedByTheCrl();
        } finally {
            System.clearProperty("courtier.tls.provider");
        }
    }

    @Test
    void wholeSubjectAsUsername() throws Exception {
        Path acl = dir.resolve("subject.acl");
        Files.writeString(acl, "user CN=sensor-1,O=Courtier,C=FR\ntopic readwrite sensors/#\n");
        try (Broker broker = start(tls("server", true, false, true, null, null),
                SecurityConfig.DEFAULT.withAllowAnonymous(false).withAclFile(acl))) {
            MqttClient sensor = paho(broker, "s", "sensor");
            List<String> got = Paho.record(sensor, "sensors/#");
            sensor.publish("sensors/a", "by subject".getBytes(), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("sensors/a by subject"));
            Paho.closeQuietly(sensor);
        }
    }

    @Test
    void revokedCertificateIsRefusedByTheCrl() throws Exception {
        try (Broker broker = start(tls("server", true, false, false, pki.file("crl.pem"), null),
                SecurityConfig.DEFAULT.withAllowAnonymous(true))) {
            assertThat(mosquittoPub(broker, "--cert", "PKI:sensor.crt", "--key", "PKI:sensor.key", "-t", "t",
                    "-m", "x").exitCode()).isZero();
            assertThat(mosquittoPub(broker, "--cert", "PKI:revoked.crt", "--key", "PKI:revoked.key", "-t", "t",
                    "-m", "x").exitCode()).isNotZero();
        }
    }

    @Test
    void missingOrBadFilesStopStartUpWithTheFileNamed() {
        TlsConfig missing = new TlsConfig(dir.resolve("nope.crt"), pki.file("server.key"), null, null, null, null,
                null, false, false, false, null);
        assertThatThrownBy(() -> start(missing, SecurityConfig.DEFAULT))
                .hasMessage("Unable to load server certificate \"" + dir.resolve("nope.crt")
                        + "\": No such file or directory");
        TlsConfig wrongKey = new TlsConfig(pki.file("server.crt"), pki.file("ca.crt"), null, null, null, null,
                null, false, false, false, null);
        assertThatThrownBy(() -> start(wrongKey, SecurityConfig.DEFAULT))
                .hasMessageStartingWith("Unable to load server key file \"" + pki.file("ca.crt") + "\"");
    }
}
