package io.courtier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code courtier} command. With no subcommand it runs the broker, as {@code mosquitto}
 * does; the others mirror Mosquitto's tools: {@code pub}, {@code sub}, {@code passwd}, {@code ctrl};
 * {@code migrate} imports Mosquitto's mosquitto.db.
 */
@Command(name = "courtier", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "An MQTT broker and its tools, compatible with Mosquitto.",
        // `courtier -h` is what a mosquitto user tries first: show the broker's own flags too,
        // since `courtier -c FILE` (no command) runs the broker as `mosquitto -c FILE` does.
        footer = {"", "Without a command it runs the broker, as mosquitto does:",
                "  courtier [-c FILE] [-p PORT] [-d] [-v]     (courtier broker --help for details)"},
        subcommands = {BrokerCommand.class, PubCommand.class, SubCommand.class, PasswdCommand.class, CtrlCommand.class,
                MigrateCommand.class,
                io.courtier.cli.bench.BenchCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; tests call this in-process. */
    public static int run(String... args) {
        if (args.length > 0 && (args[0].equals("pub") || args[0].equals("sub"))) {
            // Mosquitto's flags are not picocli-shaped (-h is the host, -D takes 3-4 words): hand them over raw.
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            return args[0].equals("pub") ? PubCommand.run(rest) : SubCommand.run(rest);
        }
        if (args.length > 0 && args[0].equals("ctrl")) {
            return CtrlCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length == 0 || args[0].startsWith("-") && !isTopLevelFlag(args[0])) {
            // `courtier` alone, or `courtier -c file`, is `courtier broker ...` as with `mosquitto`.
            String[] withBroker = new String[args.length + 1];
            withBroker[0] = "broker";
            System.arraycopy(args, 0, withBroker, 1, args.length);
            args = withBroker;
        }
        if (args[0].equals("broker")) {
            // Only the broker's own command model: picocli builds the whole tree it is given by
            // reflection (pub, sub, passwd, migrate, and bench's scenarios too), at start-up.
            return new CommandLine(new BrokerCommand()).setCommandName("courtier broker")
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return new CommandLine(new Main()).execute(args);
    }

    private static boolean isTopLevelFlag(String arg) {
        return arg.equals("--version") || arg.equals("-V") || arg.equals("--help") || arg.equals("-h");
    }
}
