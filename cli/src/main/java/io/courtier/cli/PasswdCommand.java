package io.courtier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code courtier passwd}: Manage a password file, as mosquitto_passwd does. */
@Command(name = "passwd", description = "Manage a password file, as mosquitto_passwd does.")
public final class PasswdCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("courtier passwd: not implemented yet");
        return 1;
    }
}
