package io.courtier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code courtier sub}: Subscribe and print messages, as mosquitto_sub does. */
@Command(name = "sub", description = "Subscribe and print messages, as mosquitto_sub does.")
public final class SubCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("courtier sub: not implemented yet");
        return 1;
    }
}
