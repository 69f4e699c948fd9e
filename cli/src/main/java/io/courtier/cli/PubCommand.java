package io.courtier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code courtier pub}: Publish a message, as mosquitto_pub does. */
@Command(name = "pub", description = "Publish a message, as mosquitto_pub does.")
public final class PubCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("courtier pub: not implemented yet");
        return 1;
    }
}
