package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real browsers: MQTT.js (the vendored browser build) in headless Chromium against Courtier's
 * WebSocket listeners, and the console page end to end, with mosquitto_pub/mosquitto_sub on the
 * other side. Screenshots land in target/browser-screenshots/.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BrowserTest {

    private Broker broker;

    @BeforeEach
    void needsBrowser() {
        BrowserDriver.requireBrowser();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static ListenerConfig listener(ListenerProtocol protocol) {
        return ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(protocol);
    }

    @ParameterizedTest(name = "MQTT protocol level {0}")
    @ValueSource(ints = {4, 5})
    void mqttJsInABrowserTalksToMosquittoClientsOverWs(int protocolVersion, @TempDir Path site) throws Exception {
        // As with Mosquitto: http_dir serves the page, the same listener speaks MQTT.
        Files.writeString(site.resolve("index.html"),
                "<!doctype html><title>MQTT.js</title><script src=\"mqtt.min.js\"></script>\n");
        Files.copy(BrowserDriver.MQTT_JS, site.resolve("mqtt.min.js"));
        broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT),
                        listener(ListenerProtocol.WEBSOCKETS).withHttpDir(site.toString())))
                .allowAnonymous(true).build(), "test");
        int tcp = broker.boundAddresses().get(0).getPort();
        int ws = broker.boundAddresses().get(1).getPort();

        Map<String, String> r = BrowserDriver.run("mqttjs", Map.of(
                "pageUrl", "http://127.0.0.1:" + ws + "/",
                "url", "ws://127.0.0.1:" + ws + "/mqtt",
                "tcpPort", tcp,
                "protocolVersion", protocolVersion));

        assertThat(r.get("received")).isEqualTo("browser/in hello from mosquitto_pub");
        assertThat(r.get("mosquittoSubOutput")).isEqualTo("hello from MQTT.js");
    }

    @Test
    void mqttJsInABrowserTalksToMosquittoClientsOverWss(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("index.html"),
                "<!doctype html><title>MQTT.js</title><script src=\"mqtt.min.js\"></script>\n");
        Files.copy(BrowserDriver.MQTT_JS, site.resolve("mqtt.min.js"));
        Path keys = Files.createDirectories(site.resolveSibling(site.getFileName() + "-keys"));
        broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT), listener(ListenerProtocol.WEBSOCKETS)
                        .withHttpDir(site.toString())
                        .withTls(io.courtier.broker.transport.SecureWebSocketTest.selfSigned(keys))))
                .allowAnonymous(true).build(), "test");
        int tcp = broker.boundAddresses().get(0).getPort();
        int wss = broker.boundAddresses().get(1).getPort();

        // The page comes over https:// from the same listener; the browser accepts the
        // self-signed certificate (ignoreHTTPSErrors) as a user would after checking it.
        Map<String, String> r = BrowserDriver.run("mqttjs", Map.of(
                "pageUrl", "https://127.0.0.1:" + wss + "/",
                "url", "wss://127.0.0.1:" + wss + "/mqtt",
                "tcpPort", tcp,
                "protocolVersion", 4));

        assertThat(r.get("received")).isEqualTo("browser/in hello from mosquitto_pub");
        assertThat(r.get("mosquittoSubOutput")).isEqualTo("hello from MQTT.js");
    }

    @ParameterizedTest(name = "Paho JS mqttVersion {0}")
    @ValueSource(ints = {3, 4})
    void pahoJavaScriptInABrowserTalksToMosquittoClientsOverWs(int mqttVersion, @TempDir Path site) throws Exception {
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>Paho JS</title>\n");
        broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT),
                        listener(ListenerProtocol.WEBSOCKETS).withHttpDir(site.toString())))
                .allowAnonymous(true).build(), "test");
        int tcp = broker.boundAddresses().get(0).getPort();
        int ws = broker.boundAddresses().get(1).getPort();

        Map<String, String> r = BrowserDriver.run("pahojs", Map.of(
                "pageUrl", "http://127.0.0.1:" + ws + "/",
                "wsPort", ws,
                "tcpPort", tcp,
                "mqttVersion", mqttVersion));

        assertThat(r.get("received")).isEqualTo("browser/in hello from mosquitto_pub");
        assertThat(r.get("mosquittoSubOutput")).isEqualTo("hello from Paho JS");
    }

    @Test
    void theConsoleShowsTheBrokerLiveAndPublishes() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT), listener(ListenerProtocol.HTTP)))
                .allowAnonymous(true);
        b.sysInterval = 1;
        broker = Broker.start(b.build(), "test");
        int tcp = broker.boundAddresses().get(0).getPort();
        int http = broker.boundAddresses().get(1).getPort();

        AtomicBoolean running = new AtomicBoolean(true);
        Thread traffic = trafficFor(tcp, running);
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> broker.context().sessions().connectedCount() == 2);
        try {
            Map<String, String> r = BrowserDriver.run("console", Map.of(
                    "consoleUrl", "http://127.0.0.1:" + http + "/",
                    "tcpPort", tcp));

            int before = Integer.parseInt(r.get("clientsBefore"));
            assertThat(Integer.parseInt(r.get("clientsAfter"))).isEqualTo(before + 1);
            assertThat(r.get("steps")).contains("clientListed", "consoleSawOwnMessage", "disconnected");
            assertThat(r.get("subscriberGot")).isEqualTo("hello from the console");
            assertThat(r.get("payloadShown")).contains("\"celsius\": 21.5");
            assertThat(r.get("phoneOverflow")).as("page wider than a phone screen").isEqualTo("false");
            assertThat(r.get("pageErrors")).isEmpty();
            assertThat(BrowserDriver.OUT_DIR.resolve("console-overview.png")).isNotEmptyFile();
            assertThat(BrowserDriver.OUT_DIR.resolve("console-phone.png")).isNotEmptyFile();
        } finally {
            running.set(false);
            traffic.join(5000);
        }
    }

    @Test
    void theConsoleAsksForALoginWhenAnonymousIsNotAllowed(@TempDir Path keys) throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT), listener(ListenerProtocol.HTTP)))
                .allowAnonymous(false);
        b.security = b.security.withPasswordFile(ExternalTools.passwordFile(keys, "admin", "s3cret"));
        broker = Broker.start(b.build(), "test");
        int http = broker.boundAddresses().get(1).getPort();

        Map<String, String> r = BrowserDriver.run("login", Map.of(
                "consoleUrl", "http://127.0.0.1:" + http + "/", "user", "admin", "password", "s3cret"));

        assertThat(r.get("wrongPasswordRefused")).contains("Wrong user name or password");
        assertThat(r.get("liveAfterLogin")).isEqualTo("admin");
    }

    @Test
    void theSecurityTabAddsAClientAndARoleThroughDynamicSecurity(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dynamic-security.json");
        io.courtier.broker.security.dynsec.DynamicSecurity.init(file, "admin", "s3cret");
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT), listener(ListenerProtocol.HTTP)))
                .allowAnonymous(false);
        b.security = b.security.withDynamicSecurityFile(file);
        broker = Broker.start(b.build(), "test");
        int mqtt = broker.boundAddresses().get(0).getPort();
        int http = broker.boundAddresses().get(1).getPort();

        Map<String, String> r = BrowserDriver.run("security", Map.of(
                "consoleUrl", "http://127.0.0.1:" + http + "/", "user", "admin", "password", "s3cret",
                "client", "sonde", "clientPassword", "pw-sonde", "role", "capteurs", "topic", "maison/#"));

        assertThat(r.get("error")).isNull();
        assertThat(r.get("roleGiven")).isEqualTo("Gave capteurs to sonde");
        // What the page did is what mosquitto_ctrl sees, and it lets the new client publish.
        io.courtier.testkit.External.Result got = io.courtier.testkit.External.run(
                "mosquitto_ctrl", "-h", "127.0.0.1", "-p", Integer.toString(mqtt), "-u", "admin", "-P", "s3cret",
                "dynsec", "getClient", "sonde");
        assertThat(got.stdout()).isEqualTo("Username: sonde\nClientid:\nRoles:    capteurs (priority: -1)\n");
        assertThat(io.courtier.testkit.External.run("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(mqtt), "-u", "sonde", "-P", "pw-sonde", "-t", "maison/salon", "-m", "21").exitCode())
                .isZero();
        assertThat(Files.readString(file)).contains("\"capteurs\"");
        assertThat(BrowserDriver.OUT_DIR.resolve("console-security.png")).isNotEmptyFile();
    }

    @Test
    void theBridgesTabShowsABridgeUp(@TempDir Path dir) throws Exception {
        try (io.courtier.testkit.MosquittoBroker remote = io.courtier.testkit.MosquittoBroker.start(dir)) {
            Path conf = Files.writeString(dir.resolve("courtier.conf"), String.join("\n", "listener 0 127.0.0.1",
                    "allow_anonymous true", "listener 0 127.0.0.1", "protocol http", "connection school",
                    "address 127.0.0.1:" + remote.port(), "topic maison/# out 1", "remote_clientid pi42", ""));
            broker = Broker.start(io.courtier.broker.config.ConfigParser.parse(conf).config(), "test");
            int http = broker.boundAddresses().get(1).getPort();

            Map<String, String> r = BrowserDriver.run("bridges", Map.of("consoleUrl", "http://127.0.0.1:" + http + "/"));

            assertThat(r.get("error")).isNull();
            assertThat(r.get("row")).contains("school", "up", "127.0.0.1:" + remote.port(), "pi42");
            assertThat(BrowserDriver.OUT_DIR.resolve("console-bridges.png")).isNotEmptyFile();
        }
    }

    @Test
    void withSysIntervalZeroTheOverviewPollsTheApi() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listeners(List.of(listener(ListenerProtocol.MQTT), listener(ListenerProtocol.HTTP)))
                .allowAnonymous(true);
        b.sysInterval = 0;
        broker = Broker.start(b.build(), "test");
        int http = broker.boundAddresses().get(1).getPort();

        Map<String, String> r = BrowserDriver.run("nosys", Map.of("consoleUrl", "http://127.0.0.1:" + http + "/"));

        assertThat(r.get("clients")).isEqualTo("1"); // the console's own connection
        assertThat(r.get("source")).contains("polled from the JSON API");
    }

    /** Some publishers and a subscriber, so the overview's rates and chart have something to show. */
    private static Thread trafficFor(int port, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            try {
                MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "dashboard", new MemoryPersistence());
                sub.connect();
                sub.subscribe("demo/#", 0);
                MqttClient pub = new MqttClient("tcp://127.0.0.1:" + port, "sensor-gateway", new MemoryPersistence());
                pub.connect();
                int i = 0;
                while (running.get()) {
                    pub.publish("demo/sensor/" + (i % 8), ("{\"t\":" + (20 + i % 5) + "}").getBytes(StandardCharsets.UTF_8),
                            i % 3 == 0 ? 1 : 0, i % 8 == 0);
                    i++;
                    Thread.sleep(25 + (i % 40 < 20 ? 0 : 15)); // a rate that varies, for the chart
                }
                pub.disconnect();
                sub.disconnect();
            } catch (Exception e) {
                if (running.get()) {
                    throw new IllegalStateException(e);
                }
            }
        }, "traffic");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
