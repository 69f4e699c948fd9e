package io.courtier.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * What the first clients' packets would do, done as the broker starts: a private broker on a
 * loopback port of its own, one subscriber and one publisher ({@link WarmupClient}) and a stream of
 * QoS 1 messages (one at QoS 0, a retained one) through decode, route and write, then short
 * connections that subscribe and leave, so that the JVM has loaded, linked and compiled those
 * paths when the first clients come (without it, the first second of a 5,000 msg/s stream ran
 * interpreted: p99 60-200 ms against 10-20 ms warm; and the first burst of connections ran the
 * connect path interpreted while compiling it; the connections are asked for, see below).
 *
 * <p>It runs beside the real broker, right after its listeners open, not before: done first it
 * delayed listening by 0.15-0.35 s (0.25-0.6 CPU seconds, most of it the private broker's and
 * the clients' own start), while a client that connects at once is itself a process starting.
 * The private broker is another instance of the same classes: the real broker's sessions,
 * retained messages, subscriptions and {@code $SYS} counters never see it, and the log lines of
 * the warm-up's threads (a thread group of their own) are dropped. The stream stops after
 * {@code -Dcourtier.warmup=MESSAGES} messages (default {@value #DEFAULT_MESSAGES}, 0 turns the
 * whole warm-up off) or {@value #BUDGET_MILLIS} ms, the connections after
 * {@code -Dcourtier.warmup.connections=N} (default {@value #DEFAULT_CONNECTIONS}) or
 * {@value #CONNECT_BUDGET_MILLIS} ms, whichever comes first; any failure only ends it.
 */
final class Warmup {

    static final int DEFAULT_MESSAGES = 4000;
    static final long BUDGET_MILLIS = 300;
    /** Publishes in flight at once: within the broker's default queue (max_queued_messages 1000). */
    private static final int WINDOW = 64;
    /**
     * Short connections after the stream, none unless asked: enough calls of the connect path
     * (accept, CONNECT, SUBSCRIBE, session made and ended, close) for the JIT to compile it, within
     * {@value #CONNECT_BUDGET_MILLIS} ms. Not on by default: 1,000 or 2,000 of them moved the
     * compiling out of the first burst of 10,000 real connections, but added 2.5-7 MB to the idle
     * broker and left it no smaller once they were held; 2,000 also made the first second's p99
     * worse (README, "Memory, start-up and connections").
     */
    static final int DEFAULT_CONNECTIONS = 0;
    static final long CONNECT_BUDGET_MILLIS = 1000;
    /** Connections opened together, as a burst of clients does (each a descriptor meanwhile). */
    static final int BATCH = 50;

    /** What a warm-up did: messages delivered to its subscriber, connections made and ended. */
    record Result(int messages, int connections) {
        static final Result NONE = new Result(0, 0);
    }

    private Warmup() {
    }

    /** The configured message count: {@code -Dcourtier.warmup}, a bad value meaning the default. */
    static int messages() {
        return count("courtier.warmup", DEFAULT_MESSAGES);
    }

    /** The configured connection count: {@code -Dcourtier.warmup.connections}, as {@link #messages}. */
    static int connections() {
        return count("courtier.warmup.connections", DEFAULT_CONNECTIONS);
    }

    private static int count(String property, int otherwise) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        if (value.equals("off") || value.equals("false")) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * Starts the warm-up in the background, in a thread group of its own (the private broker's
     * and clients' event loops are made from it, and join it); returns the thread, null when off.
     */
    static Thread startInBackground(int messages, int connections) {
        if (messages <= 0) {
            return null;
        }
        ThreadGroup group = new ThreadGroup("courtier-warmup");
        Thread thread = new Thread(group, () -> run(messages, connections), "courtier-warmup");
        thread.setDaemon(true); // a broker stopped meanwhile does not wait for it
        thread.start();
        return thread;
    }

    /**
     * Runs the warm-up in this thread, dropping the log lines of this thread's group while it runs:
     * the stream of messages, then the connections; returns what went through (for tests). No
     * messages, no warm-up.
     */
    static Result run(int messages, int connections) {
        if (messages <= 0) {
            return Result.NONE;
        }
        ThreadGroup own = Thread.currentThread().getThreadGroup();
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        TurboFilter silence = new TurboFilter() {
            @Override
            public FilterReply decide(org.slf4j.Marker marker, ch.qos.logback.classic.Logger logger,
                                      ch.qos.logback.classic.Level level, String format, Object[] params, Throwable t) {
                ThreadGroup g = Thread.currentThread().getThreadGroup();
                return g != null && own.parentOf(g) ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        silence.start();
        logging.addTurboFilter(silence);
        BrokerConfig.Builder config = BrokerConfig.builder().listener(0).allowAnonymous(true);
        config.logDest = List.of(); // log_dest none
        config.connectionMessages = false;
        Broker broker = null;
        try {
            // A pool of its own (the same classes as the shared one, so the same compiled code):
            // the memory it grows is given back once it is dropped, not kept for the real broker.
            broker = Broker.start(config.build(), Version.current(), new PooledByteBufAllocator(true));
            int delivered = stream(broker.port(), messages, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS));
            int made = connect(broker.port(), connections,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_BUDGET_MILLIS));
            return new Result(delivered, made);
        } catch (Exception | LinkageError e) {
            return Result.NONE; // the real broker starts as without a warm-up
        } finally {
            if (broker != null) {
                broker.close();
            }
            logging.getTurboFilterList().remove(silence);
        }
    }

    /** A subscriber and a publisher on the private broker; returns the messages delivered. */
    private static int stream(int port, int messages, long deadline) throws Exception {
        byte[] payload = "courtier warm-up message, about as long as a sensor reading".getBytes(StandardCharsets.UTF_8);
        int received = 0;
        try (WarmupClient publisher = new WarmupClient(port, "courtier-warmup-pub");
             WarmupClient subscriber = new WarmupClient(port, "courtier-warmup-sub")) {
            // A retained message, found by a new subscription (a first client's SUBSCRIBE often does).
            publisher.publish("warmup/retained", payload, 1, true);
            publisher.awaitAcks(1);
            subscriber.subscribe("warmup/retained", 1);
            subscriber.receive(1);
            subscriber.subscribe("warmup/stream", 1);
            received++;
            // One thread plays both clients: a window of publishes, their PUBACKs, their deliveries.
            publisher.publish("warmup/stream", payload, 0, false);
            publisher.flush();
            subscriber.receive(1);
            received++;
            while (received < messages && System.nanoTime() < deadline) {
                for (int i = 0; i < WINDOW; i++) {
                    publisher.publish("warmup/stream", payload, 1, false);
                }
                publisher.awaitAcks(WINDOW);
                subscriber.receive(WINDOW);
                received += WINDOW;
            }
            subscriber.disconnect();
            publisher.publish("warmup/retained", new byte[0], 1, true); // cleared, as it found it
            publisher.awaitAcks(1);
            publisher.disconnect();
        }
        return received;
    }

    /**
     * Connections that each subscribe and leave, in batches (the CONNECTs of a batch reach the
     * broker together, as in a burst of clients reconnecting): one in four in MQTT 5, half
     * subscribing at QoS 1, half leaving with DISCONNECT and half by closing the socket (a session
     * ends either way). Without it the first burst of real clients ran the connect path
     * interpreted, and its compiling cost 0.7-0.9 KB of RSS per connection at 10,000 (README,
     * "Per connection"). Returns the connections made; the batch under way when the budget runs
     * out is finished.
     */
    private static int connect(int port, int connections, long deadline) throws IOException {
        WarmupClient[] batch = new WarmupClient[BATCH];
        int made = 0;
        while (made < connections && System.nanoTime() < deadline) {
            int n = Math.min(BATCH, connections - made);
            try {
                for (int i = 0; i < n; i++) {
                    batch[i] = new WarmupClient(port, "courtier-warmup-" + (made + i), (made + i) % 4 == 3);
                }
                for (int i = 0; i < n; i++) {
                    batch[i].awaitConnack();
                    batch[i].sendSubscribe("warmup/idle/" + (made + i), i & 1);
                }
                for (int i = 0; i < n; i++) {
                    batch[i].awaitSuback();
                    if ((i & 1) == 0) {
                        batch[i].disconnect();
                    }
                }
            } finally {
                for (int i = 0; i < n; i++) {
                    if (batch[i] != null) {
                        batch[i].close();
                        batch[i] = null;
                    }
                }
            }
            made += n;
        }
        return made;
    }
}
