package io.courtier.cli;

import io.courtier.cli.client.ClientConfig.Tool;
import io.courtier.cli.client.ClientDefaults;
import io.courtier.cli.client.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code courtier sub}: subscribe and print messages, as mosquitto_sub does, with its flags.
 * {@link Main} hands the arguments over unparsed (see {@link io.courtier.cli.client.ClientArgs}).
 */
@Command(name = "sub", description = "Subscribe and print messages, as mosquitto_sub does (courtier sub --help).")
public final class SubCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args.toArray(String[]::new));
    }

    /** Runs {@code courtier sub ARGS} with the current System.out/err; returns the exit status. */
    public static int run(String... args) {
        return new Subscriber(System.out, System.err)
                .withDefaults(ClientDefaults.read(ClientDefaults.file(Tool.SUB, System.getenv())))
                .handleSignals()
                .run(args);
    }
}
