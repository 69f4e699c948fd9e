package io.courtier.cli;

import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ConfigParser;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind {@code enable_proxy_protocol}, the client's real address reaches {@code $SYS} too: the
 * connection lines {@code log_dest topic} publishes on {@code $SYS/broker/log/...} carry the
 * address from the PROXY header, not the proxy's.
 */
class ProxiedAddressOnSysTest {

    @TempDir
    Path tmp;

    @AfterEach
    void restoreDefaults() {
        LoggingSetup.apply(BrokerConfig.defaults(), false);
    }

    @Test
    void theSysLogTopicShowsTheAddressFromTheHeader() throws Exception {
        Path conf = tmp.resolve("proxy.conf");
        Files.writeString(conf, String.join("\n", "log_dest topic", "allow_anonymous true",
                "listener 0 127.0.0.1", "listener 0 127.0.0.1", "enable_proxy_protocol 1", ""));
        BrokerConfig config = ConfigParser.parse(conf).config();
        LoggingSetup.apply(config, false);
        try (Broker broker = Broker.start(config, "test")) {
            LoggingSetup.attach(broker.ingest());
            MqttClient watcher = new MqttClient("tcp://127.0.0.1:" + broker.boundAddresses().get(0).getPort(),
                    "watcher", new MemoryPersistence());
            watcher.connect(new MqttConnectOptions());
            Queue<String> lines = new ConcurrentLinkedQueue<>();
            watcher.subscribe("$SYS/broker/log/#", 0, (t, m) -> lines.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            try (Socket s = new Socket("127.0.0.1", broker.boundAddresses().get(1).getPort())) {
                OutputStream out = s.getOutputStream();
                out.write("PROXY TCP4 203.0.113.7 192.0.2.1 51234 1883\r\n".getBytes(StandardCharsets.US_ASCII));
                // CONNECT 3.1.1, clean session, keep alive 60, client id "proxied"
                out.write(new byte[] {0x10, 19, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 7,
                        'p', 'r', 'o', 'x', 'i', 'e', 'd'});
                out.flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                        .anyMatch(l -> l.startsWith("New client connected from 203.0.113.7:51234 as proxied")));
            }
            watcher.disconnect();
            watcher.close();
        }
    }
}
