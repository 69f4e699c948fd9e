package io.courtier.broker.bridge;

import static io.courtier.broker.bridge.BridgeFixture.courtier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.testkit.MosquittoBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bridge as a user sees it: the console's JSON API and /metrics, up and then down. */
class BridgeVisibilityTest {

    @TempDir
    Path dir;

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void theConsoleApiAndMetricsShowTheBridgeUpThenDown() throws Exception {
        MosquittoBroker remote = MosquittoBroker.start(dir);
        try (Broker local = courtier(dir,
                "listener 0 127.0.0.1",
                "protocol http",
                "connection school",
                "address 127.0.0.1:" + remote.port(),
                "topic maison/# out 1",
                "remote_clientid pi42",
                "restart_timeout 30")) {
            int http = local.boundAddresses().get(1).getPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, "/api/bridges").contains("\"connected\":true"));
            assertThat(get(http, "/api/bridges")).contains("\"name\":\"school\"", "\"remoteClientId\":\"pi42\"",
                    "\"localClientId\":\"local.pi42\"");
            assertThat(get(http, "/metrics")).contains("courtier_bridge_connected{bridge=\"school\"} 1.0");
            remote.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, "/metrics")
                    .contains("courtier_bridge_connected{bridge=\"school\"} 0.0"));
            assertThat(get(http, "/api/bridges")).contains("\"connected\":false");
        } finally {
            remote.close();
        }
    }
}
