package io.courtier.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JVM's half of daemon mode ({@code courtier -d}). A JVM cannot fork, so {@code bin/courtier}
 * starts it in a new session with no terminal and names a "ready" file in the system property
 * {@code courtier.daemon.ready}; the script waits until that file holds our pid, then exits 0.
 * Until then our stderr goes to a file the script prints if we fail to start.
 */
final class Daemon {

    static final String READY_PROPERTY = "courtier.daemon.ready";

    private Daemon() {
    }

    /** Whether the launcher put this JVM in the background (so {@code -d} took effect). */
    static boolean launchedInBackground() {
        return System.getProperty(READY_PROPERTY) != null;
    }

    /**
     * Tells the launcher the broker is listening, then drops stdout and stderr: as with
     * Mosquitto's {@code -d}, a daemon logs only to {@code log_dest file} or syslog, and the
     * start-up file the launcher gave us is deleted once it has read this.
     */
    static void signalReady() throws IOException {
        String ready = System.getProperty(READY_PROPERTY);
        if (ready == null) {
            return;
        }
        // Written beside, then renamed: the launcher never sees a partly written pid.
        Path target = Path.of(ready);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.writeString(partial, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(nowhere);
        System.setErr(nowhere);
    }
}
