package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import io.courtier.broker.security.PasswordHash;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console obeys the ACL and knows its administrators (issue 25). The red team found that, with
 * anonymous clients allowed, a password file and an ACL, a request without credentials read
 * payloads anonymous MQTT clients are denied, and any password-file user could disconnect anyone.
 * Here: anonymous may read {@code public/#}; bob may read {@code bob/#}; alice may read everything
 * and is the one {@code console_admin}.
 */
class ConsoleAuthorisationTest {

    @TempDir
    Path dir;

    private Broker broker;
    private int tcp;
    private int http;
    private MqttClient alice;
    private final HttpClient httpClient = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path pw = dir.resolve("passwords");
        Files.writeString(pw, "alice:" + PasswordHash.createPbkdf2("alice-pw", 101) + "\n"
                + "bob:" + PasswordHash.createPbkdf2("bob-pw", 101) + "\n");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic read public/#\n\nuser alice\ntopic readwrite #\n\nuser bob\ntopic read bob/#\n");
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.HTTP)))
                .allowAnonymous(true);
        b.security = b.security.withPasswordFile(pw).withAclFile(acl);
        b.console = b.console.withAdmin("alice").withHost("broker.example");
        b.sysInterval = 0;
        broker = Broker.start(b.build(), "test");
        tcp = broker.boundAddresses().get(0).getPort();
        http = broker.boundAddresses().get(1).getPort();

        alice = new MqttClient("tcp://127.0.0.1:" + tcp, "alice-device", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("alice");
        o.setPassword("alice-pw".toCharArray());
        alice.connect(o);
        for (String topic : List.of("secret/key", "public/news", "bob/notes")) {
            alice.publish(topic, ("payload of " + topic).getBytes(StandardCharsets.UTF_8), 1, true);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.context().retained().size() == 3);
    }

    @AfterEach
    void stop() throws Exception {
        if (alice.isConnected()) {
            alice.disconnect();
        }
        alice.close();
        broker.close();
    }

    private HttpResponse<String> call(String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("X-Courtier-Console", "1");
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return httpClient.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutCredentialsTheConsoleShowsWhatAnonymousMqttClientsMayRead() throws Exception {
        HttpResponse<String> list = call("GET", "/api/retained", null, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"total\":1", "public/news").doesNotContain("secret/key", "bob/notes");
        assertThat(call("GET", "/api/retained/message?topic=public/news", null, null).body())
                .contains("payload of public/news");
        HttpResponse<String> secret = call("GET", "/api/retained/message?topic=secret/key", null, null);
        assertThat(secret.statusCode()).isEqualTo(403);
        assertThat(secret.body()).doesNotContain("payload of");
        // Refused the same whether or not a message is there.
        assertThat(call("GET", "/api/retained/message?topic=secret/none", null, null).statusCode()).isEqualTo(403);

        assertThat(call("GET", "/api/clients", null, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/clients/disconnect?id=alice-device", null, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/info", null, null).body()).contains("\"canAdmin\":false");
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void aUserWhoIsNotAnAdministratorReadsOnlyWhatTheAclGivesAndChangesNothing() throws Exception {
        HttpResponse<String> list = call("GET", "/api/retained", "bob", "bob-pw");
        assertThat(list.body()).contains("\"total\":1", "bob/notes").doesNotContain("secret/key", "public/news");
        assertThat(call("GET", "/api/retained/message?topic=bob/notes", "bob", "bob-pw").body())
                .contains("payload of bob/notes");
        assertThat(call("GET", "/api/retained/message?topic=secret/key", "bob", "bob-pw").statusCode())
                .isEqualTo(403);

        assertThat(call("GET", "/api/clients", "bob", "bob-pw").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/clients/disconnect?id=alice-device", "bob", "bob-pw").statusCode())
                .isEqualTo(403);
        assertThat(call("GET", "/api/info", "bob", "bob-pw").body()).contains("\"user\":\"bob\",\"canAdmin\":false");
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void theAdministratorReadsEverythingTheAclGivesAndDisconnects() throws Exception {
        assertThat(call("GET", "/api/retained", "alice", "alice-pw").body())
                .contains("\"total\":3", "secret/key", "public/news", "bob/notes");
        assertThat(call("GET", "/api/retained/message?topic=secret/key", "alice", "alice-pw").body())
                .contains("payload of secret/key");
        assertThat(call("GET", "/api/clients", "alice", "alice-pw").body()).contains("\"id\":\"alice-device\"");
        assertThat(call("GET", "/api/info", "alice", "alice-pw").body()).contains("\"canAdmin\":true");
        assertThat(call("POST", "/api/clients/disconnect?id=alice-device", "alice", "alice-pw").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !alice.isConnected());
    }

    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
        assertThat(statusFor("evil.example:" + http)).isEqualTo(421);
        assertThat(statusFor(null)).isEqualTo(421);
        assertThat(statusFor("127.0.0.1:" + http)).isEqualTo(200);
        assertThat(statusFor("localhost:" + http)).isEqualTo(200);
        assertThat(statusFor("broker.example")).isEqualTo(200); // console_host
    }

    /** The status of GET /api/info with this Host header (none if null), over a plain socket. */
    private int statusFor(String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", http)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String head = "GET /api/info HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
