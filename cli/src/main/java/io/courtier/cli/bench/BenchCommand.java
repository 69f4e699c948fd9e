package io.courtier.cli.bench;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code courtier bench}: load scenarios against any MQTT 3.1.1 broker, in the spirit of
 * emqtt-bench. Every run is bounded by a duration (and optionally a count per publisher),
 * prints a progress line a second and one {@code RESULT key=value ...} line at the end.
 */
@Command(name = "bench", description = "Measure an MQTT broker: throughput, loss, latency, connections.",
        subcommands = {BenchCommand.Conn.class, BenchCommand.Pub.class, BenchCommand.Sub.class,
                BenchCommand.Fanin.class, BenchCommand.Fanout.class, BenchCommand.Pairs.class,
                BenchCommand.Latency.class})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        System.err.println("courtier bench: name a scenario: conn, pub, sub, fanin, fanout, pairs, latency "
                + "(courtier bench SCENARIO --help).");
        return 1;
    }

    /** Options every scenario takes. */
    static final class Common {
        @Option(names = {"-h", "--host"}, defaultValue = "localhost", description = "Broker host (default localhost).")
        String host;
        @Option(names = {"-p", "--port"}, defaultValue = "1883", description = "Broker port (default 1883).")
        int port;
        @Option(names = {"-q", "--qos"}, defaultValue = "0", description = "QoS 0, 1 or 2 (default 0).")
        int qos;
        @Option(names = {"-s", "--size"}, defaultValue = "64", description = "Payload bytes (min 20, default 64).")
        int size;
        @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "Seconds to publish (default 10).")
        int duration;
        @Option(names = {"-n", "--count"}, defaultValue = "0", description = "Messages per publisher (0 = until the duration).")
        long count;
        @Option(names = {"-r", "--rate"}, defaultValue = "0", description = "Total messages/s over all publishers (0 = flat out).")
        double rate;
        @Option(names = {"-w", "--window"}, defaultValue = "64", description = "Unacknowledged QoS 1/2 messages per publisher (default 64).")
        int window;
        @Option(names = "--prefix", defaultValue = "bench", description = "Topic prefix (default bench).")
        String prefix;
        @Option(names = "--warmup", defaultValue = "0", paramLabel = "SECONDS",
                description = "Leave the first SECONDS out of the latency percentiles (a JVM broker compiles its "
                        + "hot path then); counts and loss still cover the whole run.")
        int warmup;
        @Option(names = "--tls", description = "Connect with TLS (mqtts://, or wss:// with --ws).")
        boolean tls;
        @Option(names = "--cafile", paramLabel = "FILE",
                description = "PEM CA certificates to trust (implies --tls; default: the JVM's trust store).")
        java.io.File caFile;
        @Option(names = "--insecure", description = "Do not check that the broker's certificate names the host; "
                + "without --cafile, trust any certificate.")
        boolean insecure;
        @Option(names = "--ws", arity = "0..1", fallbackValue = "/mqtt", paramLabel = "PATH",
                description = "MQTT over WebSocket at PATH (default /mqtt), subprotocol mqtt.")
        String wsPath;
        @Option(names = {"-u", "--username"}, paramLabel = "NAME",
                description = "User name every connection sends (default none: anonymous).")
        String username;
        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "Password every connection sends (a JWT for the jwt backend).")
        String password;
        @Option(names = "--sub-port", defaultValue = "0", paramLabel = "PORT",
                description = "Subscribers connect to this port of the host instead (another node of a cluster).")
        int subPort;
        @Option(names = "--pub-ports", split = ",", paramLabel = "PORT,...",
                description = "Publishers connect to these ports of the host, round robin (nodes of a cluster).")
        int[] pubPorts = new int[0];
        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;

        BenchSettings settings() throws javax.net.ssl.SSLException {
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("QoS must be 0, 1 or 2.");
            }
            return new BenchSettings(host, port, qos, Math.max(size, Payload.HEADER), duration, count, rate, window,
                    15, BenchTransport.of(host, port, tls, caFile, insecure, wsPath),
                    Math.max(0, warmup), username, password, subPort, pubPorts);
        }
    }

    abstract static class Scenario implements Callable<Integer> {
        @Mixin
        Common common;

        abstract Plan plan();

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            try (BenchRun run = new BenchRun(common.settings(), out)) {
                return run.run(plan());
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                System.err.println("courtier bench: " + cause.getMessage());
                return 1;
            } catch (javax.net.ssl.SSLException e) {
                System.err.println("courtier bench: " + e.getMessage()); // e.g. an unreadable --cafile
                return 1;
            }
        }
    }

    @Command(name = "fanin", description = "N publishers to one wildcard subscriber.")
    static final class Fanin extends Scenario {
        @Option(names = {"-P", "--publishers"}, defaultValue = "4", description = "Publishers (default 4).")
        int publishers;

        @Override
        Plan plan() {
            return Plan.fanin(publishers, common.prefix);
        }
    }

    @Command(name = "fanout", description = "One publisher to N subscribers of the same topic.")
    static final class Fanout extends Scenario {
        @Option(names = {"-S", "--subscribers"}, defaultValue = "50", description = "Subscribers (default 50).")
        int subscribers;

        @Override
        Plan plan() {
            return Plan.fanout(subscribers, common.prefix);
        }
    }

    @Command(name = "pairs", description = "N publisher/subscriber pairs, one topic each.")
    static final class Pairs extends Scenario {
        @Option(names = {"-P", "--pairs"}, defaultValue = "10", description = "Pairs (default 10).")
        int pairs;

        @Override
        Plan plan() {
            return Plan.pairs(pairs, common.prefix);
        }
    }

    @Command(name = "latency", description = "One publisher to one subscriber at a fixed rate (default 5000 msg/s).")
    static final class Latency extends Scenario {
        @Override
        Plan plan() {
            if (common.rate == 0) {
                common.rate = 5000;
            }
            return Plan.latency(common.prefix);
        }
    }

    @Command(name = "pub", description = "Publishers only, to a topic pattern with %i.")
    static final class Pub extends Scenario {
        @Option(names = {"-P", "--publishers"}, defaultValue = "1", description = "Publishers (default 1).")
        int publishers;
        @Option(names = {"-t", "--topic"}, defaultValue = "bench/%i", description = "Topic, %i = publisher index.")
        String topic;

        @Override
        Plan plan() {
            return Plan.pub(publishers, topic);
        }
    }

    @Command(name = "sub", description = "Subscribers only, counting what arrives for the duration.")
    static final class Sub extends Scenario {
        @Option(names = {"-S", "--subscribers"}, defaultValue = "1", description = "Subscribers (default 1).")
        int subscribers;
        @Option(names = {"-t", "--topic"}, defaultValue = "bench/#", description = "Filter, %i = subscriber index.")
        String topic;

        @Override
        Plan plan() {
            return Plan.sub(subscribers, topic);
        }
    }

    @Command(name = "conn", description = "Open N connections (one subscription each) and hold them.")
    static final class Conn implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = {"-c", "--connections"}, defaultValue = "1000", description = "Connections (default 1000).")
        int connections;
        @Option(names = "--connect-rate", defaultValue = "2000", description = "New connections per second (default 2000).")
        double connectRate;
        @Option(names = "--source-addresses", defaultValue = "0", paramLabel = "N",
                description = "Connect from N loopback addresses, 127.0.0.2 and up (one address has ~28,000 "
                        + "ephemeral ports); default 0: one per 25,000 connections to a loopback broker, else "
                        + "the kernel's choice.")
        int sourceAddresses;

        @Override
        public Integer call() throws Exception {
            SourceAddresses sources;
            try {
                sources = SourceAddresses.of(sourceAddresses, connections, common.host);
            } catch (IllegalArgumentException | java.net.UnknownHostException e) {
                System.err.println("courtier bench: " + e.getMessage());
                return 2;
            }
            try (BenchRun run = new BenchRun(common.settings(), System.out)) {
                return ConnRun.run(run, connections, connectRate, sources, common.duration, common.prefix, System.out);
            } catch (javax.net.ssl.SSLException e) {
                System.err.println("courtier bench: " + e.getMessage());
                return 1;
            }
        }
    }
}
