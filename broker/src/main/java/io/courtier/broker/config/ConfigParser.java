package io.courtier.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Mosquitto's {@code mosquitto.conf} syntax: one directive a line, {@code #} comments,
 * {@code listener} blocks, {@code include_dir}, {@code per_listener_settings}. Every error names
 * {@code FILE:LINE}; known directives Courtier does not implement become warnings. Relative
 * paths stay relative to the working directory, as in Mosquitto.
 */
public final class ConfigParser {

    private final ConfigState state = new ConfigState();
    private final Path mainFile;
    /** Check mode ({@link #check}): errors are collected here and reading goes on; else null. */
    private final List<String> errors;

    private ConfigParser(Path mainFile, List<String> errors) {
        this.mainFile = mainFile;
        this.errors = errors;
    }

    public static ParsedConfig parse(Path path) throws ConfigException {
        ConfigParser p = new ConfigParser(path, null);
        p.readFile(path, null);
        return ConfigAssembler.assemble(p.state);
    }

    /**
     * Reads the whole configuration, included files too, and reports every line that is wrong
     * instead of stopping at the first ({@code --test-config}). The configuration is there only
     * when nothing was wrong; each listener's origin is its {@code FILE:LINE}.
     */
    public static ConfigReport check(Path path) {
        List<String> errors = new ArrayList<>();
        ConfigParser p = new ConfigParser(path, errors);
        try {
            p.readFile(path, null);
        } catch (ConfigException e) {
            errors.add(e.getMessage()); // the main file itself could not be read
        }
        List<String> origins = new ArrayList<>();
        for (ListenerDraft d : p.state.listeners) {
            origins.add(d.file + ":" + d.line);
        }
        if (p.state.defaultUsed) {
            origins.add(p.state.defaultListener.file + ":" + p.state.defaultListener.line);
        }
        ParsedConfig parsed = null;
        if (errors.isEmpty()) {
            try {
                parsed = ConfigAssembler.assemble(p.state);
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        return new ConfigReport(parsed, List.copyOf(p.state.warnings), List.copyOf(errors), List.copyOf(origins));
    }

    private void readFile(Path path, ConfigLine includedBy) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = "Unable to open config file " + path + " (" + IoErrorText.inSentence(e) + ").";
            throw includedBy == null ? new ConfigException(why) : includedBy.error(why);
        }
        String file = path.toString();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                directive(ConfigLine.parse(file, i + 1, text));
            } catch (ConfigException e) {
                if (errors == null) {
                    throw e;
                }
                errors.add(e.getMessage());
            }
        }
    }

    private void directive(ConfigLine l) throws ConfigException {
        if (l.name().equals("include_dir")) {
            includeDir(l);
        } else if (!ListenerDirectives.apply(l, state) && !ListenerAccessDirectives.apply(l, state)
                && !SecurityDirectives.apply(l, state) && !GlobalDirectives.apply(l, state)
                && !LimitDirectives.apply(l, state) && !LoggingDirectives.apply(l, state)
                && !ConsoleDirectives.apply(l, state) && !ClusterDirectives.apply(l, state)
                && !AuthPluginDirectives.apply(l, state) && !DynamicSecurityDirectives.apply(l, state)
                && !BridgeDirectives.apply(l, state) && !UnsupportedDirectives.apply(l, state)) {
            throw l.error("Unknown configuration variable \"" + l.name() + "\".");
        }
    }

    /** Reads the {@code *.conf} files of a directory in Mosquitto's order; only from the main file. */
    private void includeDir(ConfigLine l) throws ConfigException {
        if (!state.inMainFile) {
            throw l.error("include_dir is only read from the main configuration file.");
        }
        Path dir = Path.of(Values.string(l));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = new ArrayList<>(list.filter(p -> p.getFileName().toString().endsWith(".conf"))
                    .filter(Files::isRegularFile).toList());
        } catch (IOException e) {
            throw l.error("Unable to open include_dir '" + dir + "' (" + IoErrorText.inSentence(e) + ").");
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString(), IncludeOrder.INSTANCE));
        for (Path f : files) {
            if (sameFile(f, mainFile)) {
                throw l.error("include_dir '" + dir + "' contains the main configuration file " + mainFile + ".");
            }
        }
        state.inMainFile = false;
        try {
            for (Path f : files) {
                readFile(f, l);
            }
        } finally {
            state.inMainFile = true;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
