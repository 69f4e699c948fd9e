package io.courtier.broker.persistence;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.PersistenceSync;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A broker in its own JVM for crash tests: {@code ChildBroker LOCATION [always|interval]} starts
 * a broker with persistence on LOCATION on port 0, prints {@code PORT n}, and stops cleanly when
 * its standard input says {@code stop} or closes. Killing the process is the crash.
 */
public final class ChildBroker {
    private ChildBroker() {
    }

    public static void main(String[] args) throws Exception {
        BrokerConfig.Builder b = PersistenceFixtures.durable(Path.of(args[0]));
        if (args.length > 1 && args[1].equals("interval")) {
            b.persistenceSync = PersistenceSync.INTERVAL;
        }
        b.connectionMessages = false;
        serve(Broker.start(b.build(), "child"));
    }

    /** Prints {@code PORT n}, serves until standard input says {@code stop} or closes, then stops. */
    public static void serve(Broker broker) throws java.io.IOException {
        System.out.println("PORT " + broker.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
            // wait
        }
        broker.close();
        System.exit(0);
    }
}
