package io.courtier.broker.config;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;

/**
 * Courtier's internal limits and timers: the ones Mosquitto has no directive for, in one place with
 * the reason for each default. They are not configuration a user should need; each can still be set
 * for a test or an unusual machine with {@code -Dcourtier.tunable.NAME=VALUE} (durations in
 * milliseconds), read once at start-up by {@link #fromSystemProperties}.
 *
 * @param memoryWindow    stored queue entries a persistent session keeps in memory; the rest stay on disk and are
 *                        paged in as the window drains. 1,000 holds a busy subscriber's burst without paging while
 *                        keeping an offline session's heap small; also the back-pressure high mark when
 *                        max_queued_messages is unlimited
 * @param inboxHigh       deliveries waiting in one session's cross-loop inbox before the publishers feeding it stop
 *                        reading: bounds the heap a fast publisher on another loop can fill (2,048 deliveries is a few
 *                        hundred KB of small entries)
 * @param inboxLow        inbox length under which paused publishers read again: a quarter of high, so a subscriber
 *                        catches up in a burst instead of pausing at every message
 * @param slowNoProgress  a subscriber sent nothing for this long while backlogged is treated as slow and no longer
 *                        holds publishers back (Mosquitto never holds them): half a second tells a stalled client
 *                        from a busy one
 * @param slowMaxEpisode  the longest one backlog episode may hold publishers back before its subscriber counts as
 *                        slow: 2 s, short enough for an interactive publisher
 * @param slowHold        how long a subscriber found slow may not hold publishers back again, so that a client on a
 *                        slow link costs its publishers one short pause every 30 s
 * @param qos0OutboundBytes QoS 0 bytes a connection may have waiting to be written past socket writability (Mosquitto
 *                        keeps writing QoS 0 to a connected client); at half of it the connection counts as backed up
 * @param storeMaxBatch   changes one group commit takes at most: bounds the latency of one RocksDB write under a flood
 * @param peerLinkDelay   for tests only (0, none, by default): a cluster node holds every frame it writes to a peer
 *                        this long, as a node lagging seconds behind, so that a test can make a race between nodes
 *                        happen every time
 */
public record Tunables(int memoryWindow, int inboxHigh, int inboxLow, Duration slowNoProgress,
                       Duration slowMaxEpisode, Duration slowHold, long qos0OutboundBytes, int storeMaxBatch,
                       Duration peerLinkDelay) {

    public static final Tunables DEFAULTS = new Tunables(1000, 2048, 512, Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofSeconds(30), 4L * 1024 * 1024, 20_000, Duration.ZERO);

    /** The same limits and timers as the earlier eight-field form, with no peer link delay. */
    public Tunables(int memoryWindow, int inboxHigh, int inboxLow, Duration slowNoProgress, Duration slowMaxEpisode,
                    Duration slowHold, long qos0OutboundBytes, int storeMaxBatch) {
        this(memoryWindow, inboxHigh, inboxLow, slowNoProgress, slowMaxEpisode, slowHold, qos0OutboundBytes,
                storeMaxBatch, Duration.ZERO);
    }

    private static final String PREFIX = "courtier.tunable.";

    public Tunables {
        positive("memoryWindow", memoryWindow);
        positive("inboxHigh", inboxHigh);
        positive("inboxLow", inboxLow);
        positive("qos0OutboundBytes", qos0OutboundBytes);
        positive("storeMaxBatch", storeMaxBatch);
        if (inboxLow > inboxHigh) {
            throw new IllegalArgumentException(PREFIX + "inboxLow " + inboxLow + " is above inboxHigh " + inboxHigh);
        }
    }

    /** The defaults, with any {@code -Dcourtier.tunable.NAME=VALUE} given; a bad value stops start-up. */
    public static Tunables fromSystemProperties() {
        return from(System.getProperties());
    }

    static Tunables from(Properties p) {
        Tunables d = DEFAULTS;
        return new Tunables(
                read(p, "memoryWindow", d.memoryWindow, Integer::parseInt),
                read(p, "inboxHigh", d.inboxHigh, Integer::parseInt),
                read(p, "inboxLow", d.inboxLow, Integer::parseInt),
                read(p, "slowNoProgressMillis", d.slowNoProgress, Tunables::millis),
                read(p, "slowMaxEpisodeMillis", d.slowMaxEpisode, Tunables::millis),
                read(p, "slowHoldMillis", d.slowHold, Tunables::millis),
                read(p, "qos0OutboundBytes", d.qos0OutboundBytes, Long::parseLong),
                read(p, "storeMaxBatch", d.storeMaxBatch, Integer::parseInt),
                read(p, "peerLinkDelayMillis", d.peerLinkDelay, Tunables::millis));
    }

    private static <T> T read(Properties p, String name, T fallback, Function<String, T> parse) {
        String value = p.getProperty(PREFIX + name);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("-D" + PREFIX + name + "=" + value + ": not a valid number");
        }
    }

    private static Duration millis(String value) {
        long ms = Long.parseLong(value);
        if (ms < 0) {
            throw new NumberFormatException();
        }
        return Duration.ofMillis(ms);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(PREFIX + name + " must be positive, not " + value);
        }
    }
}
