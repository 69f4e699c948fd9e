package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.config.ParsedConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration, read by the real parser: websockets with http_dir, and the console. */
class WebConfigFileTest {

    @TempDir
    Path tmp;

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void websocketsAndConsoleListenersFromMosquittoConf() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<p>my app</p>");
        Path conf = tmp.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener 0 127.0.0.1",
                "listener 0 127.0.0.1",
                "protocol websockets",
                "http_dir " + site,
                "websockets_headers_size 2048",
                "listener 0 127.0.0.1",
                "protocol http",
                "allow_anonymous true",
                ""));
        ParsedConfig parsed = ConfigParser.parse(conf);
        assertThat(parsed.warnings()).isEmpty();
        try (Broker broker = Broker.start(parsed.config(), "test")) {
            int tcp = broker.boundAddresses().get(0).getPort();
            int ws = broker.boundAddresses().get(1).getPort();
            int http = broker.boundAddresses().get(2).getPort();

            assertThat(get(ws, "/").body()).isEqualTo("<p>my app</p>");
            assertThat(get(http, "/").body()).contains("Courtier console");
            assertThat(get(http, "/metrics").body()).contains("courtier_clients_connected");
            // Headers over websockets_headers_size are refused.
            HttpResponse<String> big = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ws + "/")).header("Cookie", "x".repeat(3000))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(431);

            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            MqttClient viaWs = new MqttClient("ws://127.0.0.1:" + ws + "/", "conf-ws", new MemoryPersistence());
            viaWs.connect();
            viaWs.subscribe("conf/#", 0, (t, m) -> got.add("ws " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            MqttClient viaConsole = new MqttClient("ws://127.0.0.1:" + http + "/mqtt", "conf-console",
                    new MemoryPersistence());
            viaConsole.connect();
            MqttClient viaTcp = new MqttClient("tcp://127.0.0.1:" + tcp, "conf-tcp", new MemoryPersistence());
            viaTcp.connect();
            viaTcp.publish("conf/x", "hi".getBytes(StandardCharsets.UTF_8), 0, false);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("ws hi");
            for (MqttClient c : new MqttClient[] {viaWs, viaConsole, viaTcp}) {
                c.disconnect();
                c.close();
            }
        }
    }
}
