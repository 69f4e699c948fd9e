package io.courtier.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ClusterConfig;
import io.courtier.broker.config.ConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/kubernetes/courtier-statefulset.yaml, checked by reading it (no Kubernetes runs here): a
 * headless service the StatefulSet is governed by, whose DNS name the nodes' configuration
 * discovers peers through on the port they listen on, and a configuration Courtier accepts.
 */
class KubernetesExampleIT {

    private static final Path EXAMPLE = Path.of("kubernetes", "courtier-statefulset.yaml");

    @TempDir
    Path tmp;

    @Test
    void theStatefulSetsNodesFindEachOtherThroughItsHeadlessService() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(EXAMPLE.toFile())) {
            for (JsonNode doc : docs.readAll()) {
                byName.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
            }
        }
        assertThat(byName).containsKeys("Service/courtier-cluster", "Service/courtier", "ConfigMap/courtier-conf",
                "StatefulSet/courtier", "NetworkPolicy/courtier-cluster-port");

        JsonNode headless = byName.get("Service/courtier-cluster").path("spec");
        assertThat(headless.path("clusterIP").asText()).isEqualTo("None");
        assertThat(headless.path("publishNotReadyAddresses").asBoolean()).isTrue();
        JsonNode set = byName.get("StatefulSet/courtier").path("spec");
        assertThat(set.path("serviceName").asText()).isEqualTo("courtier-cluster");
        assertThat(set.path("replicas").asInt()).isEqualTo(3);

        Path conf = tmp.resolve("courtier.conf");
        Files.writeString(conf, byName.get("ConfigMap/courtier-conf").path("data").path("courtier.conf").asText());
        BrokerConfig config = ConfigParser.parse(conf).config();
        ClusterConfig cluster = config.cluster();
        assertThat(cluster.enabled()).isTrue();
        assertThat(cluster.nodeName()).as("the pod's host name names each node").isNull();
        assertThat(cluster.kubernetesService()).isEqualTo("courtier-cluster.default.svc.cluster.local");
        assertThat(headless.path("ports").get(0).path("port").asInt()).isEqualTo(cluster.port());

        JsonNode container = set.path("template").path("spec").path("containers").get(0);
        List<Integer> ports = container.path("ports").findValues("containerPort").stream().map(JsonNode::asInt)
                .toList();
        // The cluster port and the next one, which carries forwarded messages.
        assertThat(ports).containsExactlyInAnyOrder(config.listeners().get(0).port(), cluster.port(),
                cluster.port() + 1);
        assertThat(headless.path("ports").findValues("port").stream().map(JsonNode::asInt).toList())
                .containsExactly(cluster.port(), cluster.port() + 1);
        assertThat(container.path("volumeMounts").get(0).path("mountPath").asText() + "/courtier.conf")
                .isEqualTo(container.path("args").get(1).asText());
        assertThat(set.path("template").path("metadata").path("labels").path("app").asText())
                .isEqualTo(headless.path("selector").path("app").asText());
    }
}
