package io.courtier.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Debian's mosquitto_pub/mosquitto_sub speaking MQTT 5 to the broker, properties included. */
class MosquittoClientsV5Test extends Mqtt5Test {

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void propertiesSurviveFromMosquittoPubToMosquittoSub() throws Exception {
        External.require("mosquitto_pub");
        External.require("mosquitto_sub");
        start();
        String port = String.valueOf(port());
        run("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", port, "-t", "mc/x", "-m", "hello",
                "-q", "1", "-r", "-D", "publish", "user-property", "colour", "blue",
                "-D", "publish", "content-type", "text/plain", "-D", "publish", "response-topic", "mc/reply");
        // The message is retained, so the subscriber gets it as soon as it subscribes: no race.
        List<String> sub = new ArrayList<>(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", port,
                "-t", "mc/#", "-C", "1", "-W", "5", "-F", "%t|%p|%C|%R|%P|%S",
                "-D", "subscribe", "subscription-identifier", "12"));
        String line = run(sub.toArray(String[]::new)).trim();
        assertThat(line).startsWith("mc/x|hello|text/plain|mc/reply|");
        assertThat(line).contains("colour").contains("blue").endsWith("|12");
    }
}
