package io.courtier.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configuration files for the parser tests and reads them back. */
final class ConfigFiles {

    private final Path dir;

    ConfigFiles(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    ParsedConfig parse(String... lines) throws Exception {
        return ConfigParser.parse(write("test.conf", lines));
    }

    BrokerConfig config(String... lines) throws Exception {
        return parse(lines).config();
    }

    /** The error a file gives, with the temporary directory cut off: {@code test.conf:2: ...}. */
    String error(String... lines) throws Exception {
        Path p = write("test.conf", lines);
        try {
            ConfigParser.parse(p);
        } catch (ConfigException e) {
            return e.getMessage().replace(dir.toString() + "/", "");
        }
        throw new AssertionError("no error for " + String.join(" / ", lines));
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    Path dir() {
        return dir;
    }
}
