package io.courtier.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code pid_file} directive: the broker's process id, written at start-up and removed on a
 * clean exit, as Mosquitto does. Init scripts and monitoring read it to find the process.
 */
final class PidFile {

    /** Nothing to write: no {@code pid_file} configured. */
    static final PidFile NONE = new PidFile(null);

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /**
     * Writes this process's pid followed by a newline to {@code path} (null: none configured).
     *
     * @throws IOException when it cannot be written; the broker must not start then, because
     *     whoever reads the file would find a stale or missing pid
     */
    static PidFile write(Path path) throws IOException {
        if (path == null) {
            return NONE;
        }
        Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        return new PidFile(path);
    }

    /**
     * Deletes the file; a clean exit leaves no pid behind that another process might reuse. A
     * file that holds another pid is left alone: a second broker started by mistake, which fails
     * on the port the first one holds, must not take the running one's pid file away with it.
     */
    void remove() {
        if (path == null) {
            return;
        }
        try {
            String held = Files.exists(path) ? Files.readString(path, StandardCharsets.US_ASCII).strip() : "";
            if (!held.equals(Long.toString(ProcessHandle.current().pid()))) {
                return;
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("Warning: unable to remove pid file " + path + ": " + e.getMessage());
        }
    }
}
