package io.courtier.cli.cluster;

import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Courtier cluster nodes as separate {@code courtier broker -c FILE} processes on loopback, each
 * with its own MQTT and cluster port and a small heap (the tests run three on two cores).
 */
final class ClusterNodes implements AutoCloseable {

    /** What the launcher (dist/bin/courtier) passes so that Hazelcast may reach the JDK internals it uses. */
    static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private static final Pattern NODE_COUNT = Pattern.compile("(\\d+) node\\(s\\)");

    /** One node: its name, ports, configuration file, log and process. */
    static final class Node {
        final String name;
        final int mqttPort;
        final int clusterPort;
        /** The web console and /metrics. */
        final int httpPort;
        final Path conf;
        final Path log;
        /** JVM options of this node's own (a tunable, say), before the class path. */
        final List<String> jvmOptions = new ArrayList<>();
        Process process;
        private long logStart;

        Node(String name, int mqttPort, int clusterPort, int httpPort, Path conf, Path log) {
            this.name = name;
            this.mqttPort = mqttPort;
            this.clusterPort = clusterPort;
            this.httpPort = httpPort;
            this.conf = conf;
            this.log = log;
        }

        String url() {
            return "tcp://127.0.0.1:" + mqttPort;
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }

        /** What it logged since it last started (the log file is appended to across restarts). */
        String logSinceStart() {
            String all = log();
            return all.substring((int) Math.min(logStart, all.length()));
        }

        /** The cluster size this node last logged since it started. */
        int nodesSeen() {
            Matcher m = NODE_COUNT.matcher(logSinceStart());
            int n = 0;
            while (m.find()) {
                n = Integer.parseInt(m.group(1));
            }
            return n;
        }

        void start() throws IOException {
            logStart = log().length();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-Xss512k", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Dcourtier.ioThreads=1"));
            cmd.addAll(HAZELCAST_FLAGS);
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.courtier.cli.Main", "broker", "-c",
                    conf.toString()));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }

        void signal(String signal) throws Exception {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
        }

        /** Stops the node (SIGTERM: a clean shutdown, or SIGKILL) and waits until it is gone. */
        void stop(String signal) throws Exception {
            signal(signal);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not stop on SIG" + signal + ":\n" + log());
            }
        }
    }

    final List<Node> nodes = new ArrayList<>();

    /**
     * Writes the configuration of {@code count} nodes, each joining through all the others;
     * {@code %n} in an extra line is the node's name (its own persistence directory, say).
     */
    ClusterNodes(Path dir, int count, String... extraLines) throws IOException {
        Set<Integer> taken = new HashSet<>();
        for (int i = 1; i <= count; i++) {
            int mqtt = port(taken, 1);
            int cluster = port(taken, 2);
            nodes.add(new Node("n" + i, mqtt, cluster, port(taken, 1), dir.resolve("n" + i + ".conf"),
                    dir.resolve("n" + i + ".log")));
        }
        for (Node n : nodes) {
            List<String> lines = new ArrayList<>(List.of("listener " + n.mqttPort + " 127.0.0.1",
                    "allow_anonymous true", "cluster_name test", "cluster_node_name " + n.name,
                    "cluster_listener " + n.clusterPort + " 127.0.0.1"));
            for (Node peer : nodes) {
                if (peer != n) {
                    lines.add("cluster_member 127.0.0.1:" + peer.clusterPort);
                }
            }
            for (String extra : extraLines) {
                lines.add(extra.replace("%n", n.name));
            }
            lines.addAll(List.of("listener " + n.httpPort + " 127.0.0.1", "protocol http"));
            Files.write(n.conf, lines);
        }
    }

    /**
     * The first of {@code n} consecutive free ports that no other node of this cluster has (a
     * node's cluster port and the next one, which carries forwarded messages).
     */
    private static int port(Set<Integer> taken, int n) {
        while (true) {
            int p = External.freePort();
            boolean ok = p + n - 1 <= 65535;
            for (int i = 0; ok && i < n; i++) {
                ok = !taken.contains(p + i) && (i == 0 || free(p + i));
            }
            if (ok) {
                for (int i = 0; i < n; i++) {
                    taken.add(p + i);
                }
                return p;
            }
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Node get(int i) {
        return nodes.get(i - 1);
    }

    /** Adds JVM options to every node's command line (from its next start). */
    ClusterNodes jvmOptions(String... options) {
        nodes.forEach(n -> n.jvmOptions.addAll(List.of(options)));
        return this;
    }

    /** Stops every node with {@code signal} (TERM or KILL) and starts them all again; waits until they formed. */
    void restartAll(String signal) throws Exception {
        for (Node n : nodes) {
            n.stop(signal);
        }
        for (Node n : nodes) {
            n.start();
        }
        awaitFormed(nodes.size());
    }

    /** Starts every node and waits until each sees all of them; stops them all if they do not. */
    ClusterNodes start() throws IOException {
        try {
            for (Node n : nodes) {
                n.start();
            }
            awaitFormed(nodes.size());
        } catch (IOException | RuntimeException | Error e) {
            close(); // the test's cluster field is not set yet: nobody else would stop them
            throw e;
        }
        return this;
    }

    /** Waits until every running node logged a cluster of {@code size}. */
    void awaitFormed(int size) {
        for (Node n : nodes) {
            if (n.process.isAlive()) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> n.logSinceStart().contains("running") && n.nodesSeen() == size
                                || !n.process.isAlive() && fail(n));
            }
        }
    }

    private static boolean fail(Node n) {
        throw new AssertionError(n.name + " exited:\n" + n.log());
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.destroyForcibly();
            }
        }
        for (Node n : nodes) {
            if (n.process != null) {
                try {
                    n.process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
