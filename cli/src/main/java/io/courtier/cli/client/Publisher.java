package io.courtier.cli.client;

import io.courtier.cli.client.ClientConfig.MessageMode;
import io.courtier.cli.client.ClientConfig.Tool;
import io.courtier.client.MqttClient;
import io.courtier.client.MqttClientOptions;
import io.courtier.client.MqttReasonException;
import io.courtier.codec.Disconnect;
import io.courtier.codec.Properties;
import io.courtier.codec.ReasonCode;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The work of {@code courtier pub}: connect, publish the message (or each line of stdin), wait
 * until every QoS 1/2 message is acknowledged, disconnect. Exit status as mosquitto_pub's.
 */
public final class Publisher {

    /** -l hands lines to the event loop this many at a time. */
    private static final int BATCH = 256;
    /** Batches read ahead of their acknowledgements: enough to keep the window full, memory bounded. */
    private static final int MAX_PENDING_BATCHES = 8;

    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private List<String> defaults = List.of();

    public Publisher(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Flags read before the command line (see {@link ClientDefaults}); none unless set. */
    public Publisher withDefaults(List<String> flags) {
        this.defaults = List.copyOf(flags);
        return this;
    }

    public int run(String... args) {
        ClientConfig c;
        try {
            c = ClientArgs.parse(Tool.PUB, defaults, args);
        } catch (UsageException e) {
            return ClientTool.usageError(e, Tool.PUB, stdout, stderr);
        }
        byte[] payload = c.message;
        try {
            if (c.messageMode == MessageMode.FILE) {
                payload = Files.readAllBytes(c.file);
            } else if (c.messageMode == MessageMode.STDIN_FILE) {
                payload = stdin.readAllBytes();
            }
        } catch (IOException e) {
            stderr.println("Error: Unable to open file \"" + c.file + "\".");
            stderr.println("Error loading input file \"" + c.file + "\".");
            return 1;
        }
        Output out = new Output(stdout);
        String clientId = ClientTool.clientId(c);
        MqttClientOptions.Builder options;
        try {
            options = ClientTool.options(c, clientId, out);
        } catch (ClientTool.SetupException e) {
            stderr.println(e.getMessage());
            return 1;
        }
        MqttClient client = new MqttClient(options.build());
        try {
            try {
                client.connect().get();
            } catch (ExecutionException e) {
                return ClientTool.connectError(e, c, stderr);
            }
            Properties props = c.publishProperties.build();
            int status = c.messageMode == MessageMode.STDIN_LINE
                    ? publishLines(client, c, props)
                    : publishRepeated(client, c, payload, props);
            client.disconnect(new Disconnect(ReasonCode.NORMAL_DISCONNECTION, c.disconnectProperties.build()))
                    .get(10, TimeUnit.SECONDS);
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            if (!c.quiet) {
                stderr.println(ClientTool.networkError(ClientTool.unwrap(e)));
            }
            return 1;
        } finally {
            client.close();
            out.flush();
        }
    }

    private int publishRepeated(MqttClient client, ClientConfig c, byte[] payload, Properties props)
            throws InterruptedException, ExecutionException {
        int status = 0;
        for (int n = 0; n < c.repeatCount; n++) {
            if (n > 0 && c.repeatDelaySeconds > 0) {
                Thread.sleep((long) (c.repeatDelaySeconds * 1000));
            }
            status |= await(client.publish(c.topic, Unpooled.wrappedBuffer(payload), c.qos, c.retain, props), c);
        }
        return status;
    }

    /**
     * -l: one message per line, without its '\n' (a '\r' before it stays, as in mosquitto_pub).
     * Lines go to the client's event loop in batches, so a batch costs one hand-off and one flush.
     */
    private int publishLines(MqttClient client, ClientConfig c, Properties props)
            throws IOException, InterruptedException, ExecutionException {
        ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
        int status = 0;
        List<byte[]> batch = new ArrayList<>(BATCH);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        boolean partial = false;
        int n;
        while ((n = stdin.read(buf)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    batch.add(line.toByteArray());
                    line.reset();
                    partial = false;
                    start = i + 1;
                    if (batch.size() == BATCH) {
                        pending.add(submit(client, c, props, batch));
                        batch = new ArrayList<>(BATCH);
                        while (pending.size() > MAX_PENDING_BATCHES) {
                            status |= await(pending.poll(), c);
                        }
                    }
                }
            }
            if (start < n) {
                line.write(buf, start, n - start);
                partial = true;
            }
        }
        if (partial) {
            batch.add(line.toByteArray()); // a last line without '\n' is still a message
        }
        if (!batch.isEmpty()) {
            pending.add(submit(client, c, props, batch));
        }
        while (!pending.isEmpty()) {
            status |= await(pending.poll(), c);
        }
        return status;
    }

    /** Publishes a batch from the event loop; completes when all are done, failing as the first failure. */
    private static CompletableFuture<Void> submit(MqttClient client, ClientConfig c, Properties props, List<byte[]> lines) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            CompletableFuture<?>[] each = new CompletableFuture<?>[lines.size()];
            for (int i = 0; i < each.length; i++) {
                each[i] = client.publish(c.topic, Unpooled.wrappedBuffer(lines.get(i)), c.qos, c.retain, props);
            }
            CompletableFuture.allOf(each).whenComplete((v, t) -> {
                if (t != null) {
                    done.completeExceptionally(t instanceof java.util.concurrent.CompletionException ? t.getCause() : t);
                } else {
                    done.complete(null);
                }
            });
        });
        return done;
    }

    /** Waits for one publish; a v5 refusal is a warning (as in mosquitto_pub), a lost connection an error. */
    private int await(CompletableFuture<Void> f, ClientConfig c) throws InterruptedException, ExecutionException {
        try {
            f.get();
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MqttReasonException r) {
                if (!c.quiet) {
                    stderr.println("Warning: Publish failed: " + r.getMessage() + ".");
                }
                return 0;
            }
            throw e;
        }
    }
}
