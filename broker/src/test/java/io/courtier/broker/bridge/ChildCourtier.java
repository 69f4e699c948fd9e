package io.courtier.broker.bridge;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.persistence.ChildBroker;
import java.nio.file.Path;

/**
 * Courtier in its own JVM on a configuration file ({@code ChildCourtier FILE}), for the tests that
 * kill it (-9): prints {@code PORT n}, stops when its standard input says {@code stop} or closes.
 */
public final class ChildCourtier {
    private ChildCourtier() {
    }

    public static void main(String[] args) throws Exception {
        ChildBroker.serve(Broker.start(ConfigParser.parse(Path.of(args[0])).config(), "child"));
    }
}
