package io.courtier.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * What the first clients' packets would do, done as the broker starts: a private broker on a
 * loopback port of its own, one subscriber and one publisher ({@link WarmupClient}), and a stream of
 * QoS 1 messages (one at QoS 0, a retained one) through decode, route and write, so that the
 * JVM has loaded, linked and compiled that path when the first clients' messages come (without
 * it, the first second of a 5,000 msg/s stream ran interpreted: p99 60-200 ms against 10-20 ms warm).
 *
 * <p>It runs beside the real broker, right after its listeners open, not before: done first it
 * delayed listening by 0.15-0.35 s (0.25-0.6 CPU seconds, most of it the private broker's and
 * the clients' own start), while a client that connects at once is itself a process starting.
 * The private broker is another instance of the same classes: the real broker's sessions,
 * retained messages, subscriptions and {@code $SYS} counters never see it, and the log lines of
 * the warm-up's threads (a thread group of their own) are dropped. It stops after
 * {@code -Dcourtier.warmup=MESSAGES} messages (default {@value #DEFAULT_MESSAGES}, 0 turns it off)
 * or after {@value #BUDGET_MILLIS} ms of streaming, whichever comes first; any failure only ends it.
 */
final class Warmup {

    static final int DEFAULT_MESSAGES = 4000;
    static final long BUDGET_MILLIS = 300;
    /** Publishes in flight at once: within the broker's default queue (max_queued_messages 1000). */
    private static final int WINDOW = 64;

    private Warmup() {
    }

    /** The configured message count: {@code -Dcourtier.warmup}, a bad value meaning the default. */
    static int messages() {
        String value = System.getProperty("courtier.warmup");
        if (value == null || value.isBlank()) {
            return DEFAULT_MESSAGES;
        }
        if (value.equals("off") || value.equals("false")) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_MESSAGES;
        }
    }

    /**
     * Starts the warm-up in the background, in a thread group of its own (the private broker's
     * and clients' event loops are made from it, and join it); returns the thread, null when off.
     */
    static Thread startInBackground(int messages) {
        if (messages <= 0) {
            return null;
        }
        ThreadGroup group = new ThreadGroup("courtier-warmup");
        Thread thread = new Thread(group, () -> run(messages), "courtier-warmup");
        thread.setDaemon(true); // a broker stopped meanwhile does not wait for it
        thread.start();
        return thread;
    }

    /**
     * Runs the warm-up in this thread, dropping the log lines of this thread's group while it runs;
     * returns the number of messages that went through (for tests).
     */
    static int run(int messages) {
        if (messages <= 0) {
            return 0;
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
            return stream(broker.port(), messages, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS));
        } catch (Exception | LinkageError e) {
            return 0; // the real broker starts as without a warm-up
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
}
