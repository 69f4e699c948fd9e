package io.courtier.broker.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import io.courtier.testkit.External.Result;
import io.courtier.testkit.RawClient;
import io.courtier.broker.testing.TestBroker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broker holding as many idle connections as this JVM's descriptor limit lets one process hold
 * both ends of (up to 9,000: about ten seconds on two cores), each with a subscription, still
 * serves a new client at once and still delivers to the ones it holds. The 100,000-connection
 * figure in README's Performance section is a manual run of {@code courtier bench conn} against a
 * broker in its own process; this is the same shape, small enough for CI.
 */
class ManyConnectionsTest {

    private static final int HELD = heldConnections();

    /**
     * Two descriptors per connection (the broker's socket and the test's), and room for what the
     * JVM, the build and the clients started below have open: on a machine with the usual 1,024
     * it is a few hundred connections, here (20,000) 9,000.
     */
    private static int heldConnections() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long room = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 500;
            return (int) Math.max(200, Math.min(9_000, room / 2));
        }
        return 3_000;
    }

    private TestBroker broker;
    private final List<RawClient> held = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawClient c : held) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aNewClientIsServedAndHeldOnesStillReceiveWhileThousandsAreConnected() throws Exception {
        External.require("mosquitto_sub");
        broker = TestBroker.start();
        for (int i = 0; i < HELD; i++) {
            RawClient c = RawClient.connected(broker, "held-" + i);
            assertThat(c.subscribe(1, "many/" + i, 0)).isZero();
            held.add(c);
        }

        Result roundTrip = External.run("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-t", "$SYS/broker/version", "-C", "1", "-W", "15");
        assertThat(roundTrip.exitCode()).as(roundTrip.stderr()).isZero();
        assertThat(roundTrip.stdout()).isEqualTo("courtier version " + TestBroker.VERSION + "\n");
        assertThat(broker.broker().sessions().all()).hasSizeGreaterThanOrEqualTo(HELD);

        for (int i : new int[] {0, HELD / 2, HELD - 1}) {
            Result pub = External.run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                    "-t", "many/" + i, "-m", "to " + i);
            assertThat(pub.exitCode()).as(pub.stderr()).isZero();
            RawClient.Packet p = held.get(i).read(RawClient.PUBLISH);
            assertThat(p.topic()).isEqualTo("many/" + i);
            assertThat(p.payload()).isEqualTo("to " + i);
        }
    }
}
