package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.session.Session;
import io.courtier.testkit.External;
import io.courtier.testkit.External.Result;
import io.courtier.broker.testing.TestBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's tutorial, with Debian's mosquitto_sub and mosquitto_pub as separate processes.
 * Skipped when they are not installed, unless CI is set (then it fails: .ci/run installs them).
 */
class MosquittoClientsTest {

    private TestBroker broker;

    @BeforeEach
    void start() {
        External.require("mosquitto_sub");
        External.require("mosquitto_pub");
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private String port() {
        return String.valueOf(broker.port());
    }

    /** Waits until some client has a subscription, so a publish that follows reaches it. */
    private void awaitSubscribed() {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                broker.broker().sessions().all().stream().mapToInt(Session::subscriptionCount).sum() > 0);
    }

    @Test
    void theTutorialPrintsTopicAndPayload() throws Exception {
        Process sub = External.start("mosquitto_sub", "-v", "-h", "localhost", "-p", port(), "-t", "test/val",
                "-C", "1", "-W", "15");
        awaitSubscribed();
        Result pub = External.run("mosquitto_pub", "-h", "localhost", "-p", port(), "-t", "test/val",
                "-m", "Bonjour");
        assertThat(pub.exitCode()).as(pub.stderr()).isZero();

        Result received = External.finish(sub);
        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(received.stdout()).isEqualTo("test/val Bonjour\n");
    }

    @Test
    void sysBrokerVersion() throws Exception {
        Result r = External.run("mosquitto_sub", "-v", "-h", "localhost", "-p", port(),
                "-t", "$SYS/broker/version", "-C", "1", "-W", "15");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("$SYS/broker/version courtier version " + TestBroker.VERSION + "\n");
    }

    @ParameterizedTest(name = "pub -q {0}, sub -q {1}: delivered at QoS {2}")
    @CsvSource({"1, 1, 1", "2, 2, 2", "2, 1, 1", "1, 2, 1", "0, 2, 0"})
    void qosLevelsWithQ(int pubQos, int subQos, int expected) throws Exception {
        Process sub = External.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-t", "q/#",
                "-q", String.valueOf(subQos), "-F", "%q %r %t %p", "-C", "1", "-W", "15");
        awaitSubscribed();
        Result pub = External.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-t", "q/x",
                "-q", String.valueOf(pubQos), "-m", "payload");
        assertThat(pub.exitCode()).as(pub.stderr()).isZero();

        Result received = External.finish(sub);
        assertThat(received.stdout()).isEqualTo(expected + " 0 q/x payload\n");
    }

    @Test
    void aRetainedMessageReachesALaterSubscriberWithTheRetainFlag() throws Exception {
        Result pub = External.run("mosquitto_pub", "-p", port(), "-h", "127.0.0.1", "-t", "kept/t", "-r",
                "-q", "1", "-m", "still here");
        assertThat(pub.exitCode()).as(pub.stderr()).isZero();

        Result r = External.run("mosquitto_sub", "-p", port(), "-h", "127.0.0.1", "-t", "kept/#",
                "-F", "%r %t %p", "-C", "1", "-W", "15");
        assertThat(r.stdout()).isEqualTo("1 kept/t still here\n");
    }
}
