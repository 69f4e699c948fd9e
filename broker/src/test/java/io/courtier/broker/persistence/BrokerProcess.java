package io.courtier.broker.persistence;

import java.util.ArrayList;
import java.util.List;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ChildBroker} process: started on a directory, then killed (-9) or stopped. */
public final class BrokerProcess implements AutoCloseable {

    private final Process process;
    public final int port;

    private BrokerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static BrokerProcess start(Path location, Path log) throws IOException {
        return start(location, log, "always");
    }

    /** @param sync {@code always} or {@code interval} (persistence_sync) */
    static BrokerProcess start(Path location, Path log, String sync) throws IOException {
        return start(log, ChildBroker.class, location.toString(), sync);
    }

    /**
     * Runs another child's {@code main} on the test class path: it must print {@code PORT n} once
     * it serves, and stop when its standard input says {@code stop}.
     */
    public static BrokerProcess start(Path log, Class<?> main, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
                main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                drain(out, log); // keep the pipe empty, or a chatty child blocks on its stdout
                return new BrokerProcess(p, Integer.parseInt(line.substring(5).trim()));
            }
        }
        p.destroyForcibly();
        throw new IOException("the child broker did not start; see " + log + " (classpath " + cp.split(File.pathSeparator).length
                + " entries)");
    }

    private static void drain(BufferedReader out, Path log) {
        Thread t = new Thread(() -> {
            try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(log.resolveSibling(log.getFileName() + ".out"),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                String l;
                while ((l = out.readLine()) != null) {
                    w.write(l);
                    w.write('\n');
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-broker-stdout");
        t.setDaemon(true);
        t.start();
    }

    /** kill -9: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A clean stop, as on SIGTERM. */
    public void stop() throws IOException, InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
