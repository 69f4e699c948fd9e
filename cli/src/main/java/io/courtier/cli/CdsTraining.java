package io.courtier.cli;

import io.courtier.client.MqttClient;
import io.courtier.client.MqttClientOptions;
import io.courtier.codec.MqttVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The training run behind the class-data sharing archive (bin/courtier's {@code cds/courtier.jsa}):
 * started with {@code -XX:ArchiveClassesAtExit=FILE}, it runs a broker the way {@code courtier -c FILE}
 * does, on a loopback port of its own, and walks the paths every broker takes (CONNECT, SUBSCRIBE,
 * PUBLISH at QoS 0, 1 and 2 in MQTT 3.1.1 and 5, PINGREQ, DISCONNECT), then stops it as SIGTERM
 * does. The JVM then writes every class it loaded into the archive, so a real start maps them
 * instead of reading, verifying and linking them from the jars. Nothing outside the run sees it:
 * a temporary configuration, a loopback listener, no persistence.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path conf = Files.createTempFile("courtier-cds", ".conf");
        int port = freePort();
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nlog_dest none\n",
                StandardCharsets.UTF_8);
        // SLF4J set up here first: while one thread initialises it, another that asks gets a
        // stand-in factory, which the broker's logging setup cannot configure.
        org.slf4j.LoggerFactory.getILoggerFactory();
        CompletableFuture<Integer> broker = CompletableFuture.supplyAsync(() -> Main.run("-c", conf.toString()));
        try {
            for (MqttVersion version : new MqttVersion[] {MqttVersion.V3_1_1, MqttVersion.V5}) {
                exercise(port, version);
            }
            // The hot path, long enough for its methods to be compiled, for Java 25+'s AOT cache, which
            // keeps their profiles so that a real start compiles them sooner. Not for Java 17's CDS
            // archive: made with the stream, it left fan-out QoS 0 at ~350k msg/s instead of ~800k
            // (six runs of six against three of three without it, in one sitting).
            if (Runtime.version().feature() >= 25) {
                Warmup.run(Warmup.messages(), Warmup.connections());
            }
        } finally {
            Signal.raise(new Signal("TERM"));
            int status = broker.get(30, TimeUnit.SECONDS);
            Files.deleteIfExists(conf);
            System.exit(status);
        }
    }

    private static void exercise(int port, MqttVersion version) throws Exception {
        MqttClientOptions options = MqttClientOptions.builder().host("127.0.0.1").port(port).version(version)
                .clientId("courtier-cds-" + version.name()).keepAlive(60).build();
        MqttClient client = null;
        for (int attempt = 0; client == null; attempt++) {
            try {
                client = connect(options); // the broker thread may not be listening yet
            } catch (Exception e) {
                if (attempt == 100) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        CountDownLatch received = new CountDownLatch(3);
        client.onMessage(m -> received.countDown());
        client.subscribe("courtier/cds/#", 2).get(10, TimeUnit.SECONDS);
        byte[] payload = "warm".getBytes(StandardCharsets.UTF_8);
        for (int qos = 0; qos <= 2; qos++) {
            client.publish("courtier/cds/" + qos, payload, qos, false).get(10, TimeUnit.SECONDS);
        }
        received.await(10, TimeUnit.SECONDS);
        client.disconnect().get(10, TimeUnit.SECONDS);
        client.close();
    }

    private static MqttClient connect(MqttClientOptions options) throws Exception {
        MqttClient client = new MqttClient(options);
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
