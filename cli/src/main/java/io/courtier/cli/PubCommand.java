package io.courtier.cli;

import io.courtier.cli.client.ClientConfig.Tool;
import io.courtier.cli.client.ClientDefaults;
import io.courtier.cli.client.Publisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code courtier pub}: publish a message, as mosquitto_pub does, with its flags. {@link Main}
 * hands the arguments over unparsed (see {@link io.courtier.cli.client.ClientArgs}).
 */
@Command(name = "pub", description = "Publish a message, as mosquitto_pub does (courtier pub --help).")
public final class PubCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args.toArray(String[]::new));
    }

    /** Runs {@code courtier pub ARGS} with the current System.in/out/err; returns the exit status. */
    public static int run(String... args) {
        return new Publisher(System.in, System.out, System.err)
                .withDefaults(ClientDefaults.read(ClientDefaults.file(Tool.PUB, System.getenv())))
                .run(args);
    }
}
