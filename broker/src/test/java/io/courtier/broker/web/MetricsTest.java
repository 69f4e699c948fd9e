package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /metrics on the console listener, scraped over HTTP and parsed as Prometheus text. */
class MetricsTest {

    private Broker broker;
    private int tcp;
    private int http;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1"),
                        ListenerConfig.mqtt(0, "127.0.0.1").withProtocol(ListenerProtocol.HTTP)))
                .allowAnonymous(true).build(), "test");
        tcp = broker.boundAddresses().get(0).getPort();
        http = broker.boundAddresses().get(1).getPort();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Samples by series ("name{labels}"), from the text exposition format. */
    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    @Test
    void countsWhatClientsDoByQosAndExposesJvmAndNettyMemory() throws Exception {
        MqttClient sub = new MqttClient("tcp://127.0.0.1:" + tcp, "metrics-sub", new MemoryPersistence());
        MqttClient pub = new MqttClient("tcp://127.0.0.1:" + tcp, "metrics-pub", new MemoryPersistence());
        sub.connect();
        sub.subscribe("m/#", 2, (topic, message) -> { });
        pub.connect();
        byte[] payload = "0123456789".getBytes(StandardCharsets.UTF_8);
        for (int qos = 0; qos <= 2; qos++) {
            for (int i = 0; i <= qos; i++) { // 1 at QoS 0, 2 at QoS 1, 3 at QoS 2
                pub.publish("m/" + qos, payload, qos, false);
            }
        }
        pub.publish("m/retained", payload, 0, true);
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                .until(() -> broker.stats().publishSent.sum() == 7 && broker.context().sessions().all().stream()
                        .mapToInt(io.courtier.broker.session.Session::inflightCount).sum() == 0);

        Map<String, Double> m = scrape();
        assertThat(m).containsEntry("courtier_clients_connected", 2.0)
                .containsEntry("courtier_messages_received_total{qos=\"0\"}", 2.0)
                .containsEntry("courtier_messages_received_total{qos=\"1\"}", 2.0)
                .containsEntry("courtier_messages_received_total{qos=\"2\"}", 3.0)
                .containsEntry("courtier_messages_sent_total{qos=\"0\"}", 2.0)
                .containsEntry("courtier_messages_sent_total{qos=\"1\"}", 2.0)
                .containsEntry("courtier_messages_sent_total{qos=\"2\"}", 3.0)
                .containsEntry("courtier_messages_dropped_total", 0.0)
                .containsEntry("courtier_payload_received_bytes_total", 70.0)
                .containsEntry("courtier_payload_sent_bytes_total", 70.0)
                .containsEntry("courtier_subscriptions", 1.0)
                .containsEntry("courtier_retained_messages", (double) broker.context().retained().size())
                .containsEntry("courtier_queued_messages", 0.0)
                .containsEntry("courtier_inflight_messages", 0.0)
                .containsEntry("courtier_connections_total", 2.0)
                .containsEntry("courtier_logins_refused_busy_total", 0.0)
                .containsEntry("courtier_queued_bytes", 0.0)
                .containsEntry("courtier_messages_dropped_queue_memory_total", 0.0)
                .containsEntry("courtier_info{version=\"test\"}", 1.0);
        assertThat(m.get("courtier_network_received_bytes_total")).isGreaterThan(80.0);
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(k -> k.startsWith("jvm_gc_"))
                .anyMatch(k -> k.startsWith("jvm_threads_live_threads"))
                .anyMatch(k -> k.startsWith("netty_allocator_memory_used{"))
                .anyMatch(k -> k.startsWith("netty_eventexecutor_tasks_pending{"))
                .contains("process_uptime_seconds");
        assertThat(m).containsEntry("courtier_store_latency_seconds_count", 0.0);

        sub.disconnect();
        pub.disconnect();
    }

    @Test
    void theStoreLatencyHookFeedsATimer() throws Exception {
        broker.stats().storeLatency.record(TimeUnit.MILLISECONDS.toNanos(3));
        broker.stats().storeLatency.record(TimeUnit.MILLISECONDS.toNanos(5));
        Map<String, Double> m = scrape();
        assertThat(m).containsEntry("courtier_store_latency_seconds_count", 2.0);
        assertThat(m.get("courtier_store_latency_seconds_sum")).isCloseTo(0.008, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("courtier_store_latency_seconds_bucket{le="));
    }
}
