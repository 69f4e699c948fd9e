package io.courtier.cli.client;

import io.courtier.cli.client.ClientConfig.Tool;
import io.courtier.client.MqttClient;
import io.courtier.client.MqttClientOptions;
import io.courtier.codec.Connack;
import io.courtier.codec.Disconnect;
import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Suback;
import io.courtier.codec.Subscription;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The work of {@code courtier sub}: connect, subscribe (again after each reconnection), print
 * every message as -v/-F/-N say, stop on -C, -W, -E or --retained-only. Everything after the
 * connection is set up runs on the client's event loop; the main thread waits for the exit status.
 */
public final class Subscriber {

    /** mosquitto_sub's exit status when -W expires. */
    public static final int TIMED_OUT = 27;

    private final PrintStream stdout;
    private final PrintStream stderr;
    private List<String> defaults = List.of();

    // Set up by run(); touched on the client's event loop afterwards.
    private ClientConfig c;
    private volatile MqttClient client;
    private Output out;
    private int printed;
    private boolean stopping;
    private boolean finishing;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    public Subscriber(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Flags read before the command line (see {@link ClientDefaults}); none unless set. */
    public Subscriber withDefaults(List<String> flags) {
        this.defaults = List.copyOf(flags);
        return this;
    }

    /**
     * SIGINT and SIGTERM end the run as mosquitto_sub's do: DISCONNECT (so no will is sent) and
     * exit status 0. For the real command only: a test JVM keeps its own signal handling.
     */
    public Subscriber handleSignals() {
        sun.misc.SignalHandler stop = sig -> {
            MqttClient c = client;
            if (c == null) {
                exit.complete(0);
            } else {
                c.eventLoop().execute(() -> finish(0, null));
            }
        };
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
        return this;
    }

    /** Completes when the broker has first acknowledged the subscriptions (for embedding and tests). */
    public CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    public int run(String... args) {
        try {
            c = ClientArgs.parse(Tool.SUB, defaults, args);
        } catch (UsageException e) {
            return ClientTool.usageError(e, Tool.SUB, stdout, stderr);
        }
        out = new Output(stdout);
        String clientId = ClientTool.clientId(c);
        MqttClientOptions.Builder options;
        try {
            options = ClientTool.options(c, clientId, out);
        } catch (ClientTool.SetupException e) {
            stderr.println(e.getMessage());
            return 1;
        }
        // As mosquitto_sub: a dropped connection is reopened and the subscriptions made again.
        options.autoReconnect(true);
        client = new MqttClient(options.build());
        client.onMessage(this::message).onConnected(this::connected)
                .onConnectionLost(t -> finish(1, ClientTool.networkError(ClientTool.unwrap(t))));
        try {
            try {
                client.connect().get();
            } catch (ExecutionException e) {
                if (exit.isDone()) {
                    return exit.getNow(0); // stopped by a signal while connecting
                }
                return ClientTool.connectError(e, c, stderr);
            }
            if (c.timeoutSeconds > 0) {
                client.eventLoop().schedule(() -> finish(TIMED_OUT, "Timed out"), c.timeoutSeconds, TimeUnit.SECONDS);
            }
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException e) {
            return 1;
        } finally {
            client.close();
            out.flush();
        }
    }

    private void connected(Connack connack) {
        List<Subscription> subs = new ArrayList<>();
        // -R in MQTT 5: ask the broker not to send retained messages at all [MQTT-3.3.1-11].
        int retainHandling = c.noRetained && c.version.isV5() ? 2 : 0;
        for (String t : c.topics) {
            subs.add(new Subscription(t, c.qos, false, c.retainAsPublished, retainHandling));
        }
        client.subscribe(subs, c.subscribeProperties.build()).whenComplete((suback, t) -> {
            if (t == null) {
                subscribed(suback);
            }
        });
        if (!c.unsubscribeTopics.isEmpty()) {
            // Sent at once, as mosquitto_sub does: the broker handles the SUBSCRIBE first.
            client.unsubscribe(c.unsubscribeTopics, c.unsubscribeProperties.build());
        }
    }

    private void subscribed(Suback suback) {
        if (c.debug) {
            StringBuilder sb = new StringBuilder("Subscribed (mid: ").append(suback.packetId()).append("): ");
            for (int i = 0; i < suback.reasonCodes().size(); i++) {
                sb.append(i > 0 ? ", " : "").append(suback.reasonCodes().get(i));
            }
            out.line(sb.toString());
        }
        subscribed.complete(null);
        if (c.exitAfterSubscribe) {
            finish(0, null);
        }
    }

    private void message(Publish p) {
        if (stopping) {
            return;
        }
        if (c.retainedOnly && !p.retained()) {
            stopping = true;
            finish(0, null);
            return;
        }
        for (String f : c.filterOut) {
            if (TopicMatch.matches(f, p.topic())) {
                return;
            }
        }
        if (c.removeRetained && p.retained()) {
            client.publish(p.topic(), Unpooled.EMPTY_BUFFER, 1, true, Properties.NONE);
        }
        if (c.noRetained && p.retained()) {
            return;
        }
        if (c.randomFilter < 100.0 && ThreadLocalRandom.current().nextDouble(100.0) >= c.randomFilter) {
            return;
        }
        print(p);
        printed++;
        if (c.messageCount > 0 && printed >= c.messageCount) {
            // Print nothing more, even from the same read; finish after the handler returns, so
            // this message is acknowledged before DISCONNECT.
            stopping = true;
            client.eventLoop().execute(() -> finish(0, null));
        }
    }

    private void print(Publish p) {
        line.reset();
        byte[] payload = ByteBufUtil.getBytes(p.payload());
        String error = null;
        if (c.format != null) {
            OutputFormat.Message m = new OutputFormat.Message(p.topic(), payload, p.qos(), p.retained(), p.packetId(),
                    p.properties(), Instant.now());
            error = OutputFormat.render(c.format, m, c.pretty, line);
        } else if (payload.length == 0) {
            // An empty payload prints as "topic (null)" with -v and a new line, otherwise not at all.
            if (c.verbose && c.eol) {
                OutputFormat.ascii(line, p.topic() + " (null)\n");
            }
        } else {
            if (c.verbose) {
                OutputFormat.ascii(line, p.topic());
                line.write(' ');
            }
            line.writeBytes(payload);
        }
        if (c.eol && (c.format != null || payload.length > 0)) {
            line.write('\n');
        }
        if (error != null) {
            stderr.println(error);
        }
        out.write(line);
    }

    /** Ends the run: prints a last word on stderr, disconnects, hands the status to run(). */
    private void finish(int status, String message) {
        if (exit.isDone() || finishing) {
            return;
        }
        finishing = true;
        stopping = true;
        if (message != null && !c.quiet) {
            stderr.println(message);
        }
        client.disconnect(new Disconnect(ReasonCode.NORMAL_DISCONNECTION, c.disconnectProperties.build()))
                .whenComplete((v, t) -> exit.complete(status));
    }
}
