package io.courtier.cli;

import io.courtier.cli.ctrl.Ctrl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code courtier ctrl}: administer dynamic security as mosquitto_ctrl does, with its flags.
 * {@link Main} hands the arguments over unparsed (-h is the host, not help).
 */
@Command(name = "ctrl", description = "Administer dynamic security, as mosquitto_ctrl does (courtier ctrl help).")
public final class CtrlCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args.toArray(String[]::new));
    }

    public static int run(String... args) {
        return new Ctrl(System.in, System.out, System.err).run(args);
    }
}
