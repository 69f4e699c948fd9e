package io.courtier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code courtier broker}: Run the MQTT broker (the default command). */
@Command(name = "broker", description = "Run the MQTT broker (the default command).")
public final class BrokerCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("courtier broker: not implemented yet");
        return 1;
    }
}
