package io.courtier.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mosquitto's per-user defaults for its tools: {@code $XDG_CONFIG_HOME/mosquitto_pub} (or
 * {@code $HOME/.config/mosquitto_pub}, and {@code mosquitto_sub} likewise), one
 * {@code -option value} per line, {@code #} starting a comment line. They are read before the
 * command line, so its flags override them; -t and -T add to them. The same files serve
 * courtier pub/sub, so a user's settings carry over.
 */
public final class ClientDefaults {
    private ClientDefaults() {
    }

    /** The defaults file for a tool under this environment, or null when there is none. */
    public static Path file(ClientConfig.Tool tool, Map<String, String> env) {
        String name = tool == ClientConfig.Tool.PUB ? "mosquitto_pub" : "mosquitto_sub";
        String xdg = env.get("XDG_CONFIG_HOME");
        Path p = xdg != null && !xdg.isEmpty() ? Path.of(xdg, name)
                : env.get("HOME") != null ? Path.of(env.get("HOME"), ".config", name) : null;
        return p != null && Files.isRegularFile(p) ? p : null;
    }

    /** The file's lines as arguments: the option, then the rest of the line as its value. */
    public static List<String> read(Path file) {
        List<String> args = new ArrayList<>();
        if (file == null) {
            return args;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return args; // unreadable: as if absent
        }
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int space = l.indexOf(' ');
            if (space < 0) {
                args.add(l);
            } else {
                args.add(l.substring(0, space));
                args.add(l.substring(space + 1).strip());
            }
        }
        return args;
    }
}
