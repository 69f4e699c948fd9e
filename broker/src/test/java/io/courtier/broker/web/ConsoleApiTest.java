package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's JSON API over real HTTP, with Paho clients on the MQTT side. */
class ConsoleApiTest {

    @TempDir
    Path tmp;

    private Broker broker;
    private int tcp;
    private int http;
    private final HttpClient httpClient = HttpClient.newHttpClient();

    private void start(boolean anonymous) {
        start(anonymous, null);
    }

    private void start(boolean anonymous, Path passwordFile) {
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.HTTP)))
                .allowAnonymous(anonymous);
        if (passwordFile != null) {
            b.security = b.security.withPasswordFile(passwordFile);
            b.console = b.console.withAdmin("admin");
        }
        broker = Broker.start(b.build(), "test");
        tcp = broker.boundAddresses().get(0).getPort();
        http = broker.boundAddresses().get(1).getPort();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private HttpResponse<String> call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return httpClient.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listsClientsWithTheirSessionsAndDisconnectsOne() throws Exception {
        start(true);
        MqttClient v3 = new MqttClient("tcp://127.0.0.1:" + tcp, "kitchen-sensor", new MemoryPersistence());
        AtomicReference<Throwable> lost = new AtomicReference<>();
        v3.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.set(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        v3.connect();
        v3.subscribe("home/+/light", 1);
        v3.subscribe("home/#", 0);
        org.eclipse.paho.mqttv5.client.MqttClient v5 = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + tcp, "dashboard-v5", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        AtomicReference<MqttDisconnectResponse> v5Disconnect = new AtomicReference<>();
        v5.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                v5Disconnect.set(r);
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
            }

            @Override
            public void messageArrived(String t, org.eclipse.paho.mqttv5.common.MqttMessage m) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reason, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
            }
        });
        MqttConnectionOptions o5 = new MqttConnectionOptions();
        o5.setKeepAliveInterval(42);
        v5.connect(o5);

        HttpResponse<String> clients = call("GET", "/api/clients");
        assertThat(clients.statusCode()).isEqualTo(200);
        assertThat(clients.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(clients.body()).contains("\"total\":2")
                .contains("{\"id\":\"dashboard-v5\",\"connected\":true,\"address\":\"127.0.0.1:")
                .contains("\"protocol\":\"5\",\"transport\":\"tcp\",\"username\":null,\"keepAlive\":42")
                .contains("\"id\":\"kitchen-sensor\"")
                .contains("\"protocol\":\"3.1.1\"")
                .contains("\"subscriptions\":2,\"queued\":0,\"inflight\":0,\"filters\":[\"home/#\",\"home/+/light\"]");
        assertThat(call("GET", "/api/clients?q=kitchen").body()).contains("\"total\":1").doesNotContain("dashboard-v5");

        // A cross-site form cannot add the console's header: refused.
        assertThat(call("POST", "/api/clients/disconnect?id=kitchen-sensor").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/clients/disconnect?id=kitchen-sensor").statusCode()).isEqualTo(405);
        assertThat(v3.isConnected()).isTrue();

        HttpResponse<String> kicked = call("POST", "/api/clients/disconnect?id=kitchen-sensor", "X-Courtier-Console", "1");
        assertThat(kicked.statusCode()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> lost.get() != null);

        call("POST", "/api/clients/disconnect?id=" + URLEncoder.encode("dashboard-v5", StandardCharsets.UTF_8),
                "X-Courtier-Console", "1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> v5Disconnect.get() != null);
        assertThat(v5Disconnect.get().getReturnCode()).isEqualTo(0x98); // Administrative action

        assertThat(call("POST", "/api/clients/disconnect?id=nobody", "X-Courtier-Console", "1").statusCode())
                .isEqualTo(404);
        v5.close(true);
        v3.close(true);
    }

    @Test
    void retainedMessagesAreBrowsableWithTheirPayloads() throws Exception {
        start(true);
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + tcp, "retainer", new MemoryPersistence());
        c.connect();
        c.publish("home/kitchen/temp", "21.5".getBytes(StandardCharsets.UTF_8), 1, true);
        c.publish("blob/raw", new byte[] {(byte) 0xff, 0x00, 0x01}, 0, true);
        c.publish("a/<script>", "\"quoted\"\n".getBytes(StandardCharsets.UTF_8), 0, true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> broker.context().retained().get("a/<script>") != null);

        String list = call("GET", "/api/retained").body();
        assertThat(list).contains("{\"topic\":\"home/kitchen/temp\",\"size\":4,\"qos\":1}")
                .contains("{\"topic\":\"blob/raw\",\"size\":3,\"qos\":0}")
                .contains("\"topic\":\"a/\\u003cscript\\u003e\"") // never raw markup in JSON
                .contains("\"topic\":\"$SYS/broker/uptime\"");

        assertThat(call("GET", "/api/retained/message?topic=home%2Fkitchen%2Ftemp").body())
                .contains("\"text\":\"21.5\"").contains("\"base64\":\"MjEuNQ==\"");
        assertThat(call("GET", "/api/retained/message?topic=blob/raw").body())
                .contains("\"text\":null").contains("\"base64\":\"/wAB\"");
        assertThat(call("GET", "/api/retained/message?topic=a/%3Cscript%3E").body())
                .contains("\"text\":\"\\\"quoted\\\"\\n\"");
        assertThat(call("GET", "/api/retained/message?topic=none").statusCode()).isEqualTo(404);
        c.disconnect();
    }

    @Test
    void withoutAnonymousAccessEveryCallNeedsAPasswordFileUser() throws Exception {
        start(false, ExternalTools.passwordFile(tmp, "admin", "s3cret"));

        HttpResponse<String> info = call("GET", "/api/info");
        assertThat(info.statusCode()).isEqualTo(401);
        assertThat(info.headers().firstValue("WWW-Authenticate")).isEmpty(); // the page shows its own form
        assertThat(call("GET", "/api/clients", "Authorization", basic("admin", "wrong")).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/clients/disconnect?id=x", "X-Courtier-Console", "1").statusCode()).isEqualTo(401);

        HttpResponse<String> metrics = call("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(metrics.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

        HttpResponse<String> ok = call("GET", "/api/info", "Authorization", basic("admin", "s3cret"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"loginRequired\":true,\"user\":\"admin\",\"canAdmin\":true,\"mqttPath\":\"/mqtt\"");
        assertThat(call("GET", "/metrics", "Authorization", basic("admin", "s3cret")).statusCode()).isEqualTo(200);
        // The page itself holds no data and loads without a login.
        assertThat(call("GET", "/").statusCode()).isEqualTo(200);
    }

    @Test
    void withAPasswordFileDisconnectingNeedsALoginEvenWhenAnonymousMayRead() throws Exception {
        start(true, ExternalTools.passwordFile(tmp, "admin", "s3cret"));
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + tcp, "victim", new MemoryPersistence());
        c.connect();
        assertThat(call("GET", "/api/clients").statusCode()).isEqualTo(403); // administrators only
        assertThat(call("GET", "/api/info").body()).contains("\"canAdmin\":false");
        assertThat(call("POST", "/api/clients/disconnect?id=victim", "X-Courtier-Console", "1").statusCode())
                .isEqualTo(403);
        assertThat(c.isConnected()).isTrue();
        assertThat(call("POST", "/api/clients/disconnect?id=victim", "X-Courtier-Console", "1",
                "Authorization", basic("admin", "s3cret")).statusCode()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !c.isConnected());
        c.close(true);
    }

    @Test
    void dynamicSecurityCommandsNeedAnAdministratorOfThePlugin() throws Exception {
        Path file = tmp.resolve("dynamic-security.json");
        io.courtier.broker.security.dynsec.DynamicSecurity.init(file, "admin", "s3cret");
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.HTTP)))
                .allowAnonymous(false);
        b.security = b.security.withDynamicSecurityFile(file);
        broker = Broker.start(b.build(), "test");
        http = broker.boundAddresses().get(1).getPort();
        String create = "{\"commands\":[{\"command\":\"createClient\",\"username\":\"plain\",\"password\":\"pw\"}]}";

        assertThat(post("/api/dynsec", create, "X-Courtier-Console", "1", "Authorization", basic("admin", "s3cret"))
                .body()).isEqualTo("{\"responses\":[{\"command\":\"createClient\"}]}");
        assertThat(call("GET", "/api/info", "Authorization", basic("admin", "s3cret")).body())
                .contains("\"dynamicSecurity\":true");
        // A client the plugin knows but whose roles do not allow $CONTROL: refused, as over MQTT.
        assertThat(post("/api/dynsec", create, "X-Courtier-Console", "1", "Authorization", basic("plain", "pw"))
                .statusCode()).isEqualTo(401);
        assertThat(post("/api/dynsec", create, "Authorization", basic("admin", "s3cret")).statusCode())
                .isEqualTo(403); // no X-Courtier-Console: a cross-site form cannot send commands
        assertThat(post("/api/dynsec", "not json", "X-Courtier-Console", "1", "Authorization", basic("admin", "s3cret"))
                .body()).contains("Payload not valid JSON");
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).headers(headers);
        return httpClient.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnlyItsOwnFiles() throws Exception {
        start(true);
        HttpResponse<String> page = call("GET", "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>Courtier console</title>").contains("vendor/mqtt.min.js");
        assertThat(call("GET", "/vendor/mqtt.min.js").body()).startsWith("\"use strict\";var mqtt=");
        assertThat(call("GET", "/vendor/mqtt.LICENSE.md").body()).contains("MIT");
        for (String bad : List.of("/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/io/courtier/broker/Broker.class",
                "/console.js/../index.html", "/nope")) {
            assertThat(call("GET", bad).statusCode()).as(bad).isEqualTo(404);
        }
        assertThat(call("GET", "/api/nope").statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/").statusCode()).isEqualTo(404);
    }
}
