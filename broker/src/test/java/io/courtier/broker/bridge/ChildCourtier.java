package io.courtier.broker.bridge;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Courtier in its own JVM on a configuration file ({@code ChildCourtier FILE}), for the tests that
 * kill it (-9): prints {@code PORT n}, stops when its standard input says {@code stop} or closes.
 */
public final class ChildCourtier {
    private ChildCourtier() {
    }

    public static void main(String[] args) throws Exception {
        Broker broker = Broker.start(ConfigParser.parse(Path.of(args[0])).config(), "child");
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
