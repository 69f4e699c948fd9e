package io.courtier.broker.session;

import io.courtier.broker.config.Tunables;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether one connected subscriber's backlog should slow down the publishers that feed it.
 *
 * <p>Courtier reads publishers on several loops and acknowledges them at once, so it can take
 * messages faster than a subscriber reads them; without this, the subscriber's queue fills and
 * messages past {@code max_queued_messages} are dropped (Mosquitto, one thread doing everything,
 * rarely gets there). While a subscriber's backlog is over its high mark, the publishers whose
 * messages reach it pause reading (TCP then slows them) until the backlog is under its low mark.
 *
 * <p>A subscriber that cannot keep up must not hold everyone back, as it does not in Mosquitto:
 * one that is sent nothing for {@link Tunables#slowNoProgress} (no acknowledgement opened its window;
 * or, for QoS 0, its socket did not drain back to writable), or stays backlogged longer than
 * {@link Tunables#slowMaxEpisode}, is treated as slow: publishers read again, its messages are queued
 * and dropped within its limits, and it may not press again for {@link Tunables#slowHold}. So, by
 * default, a client on a slow link costs the publishers feeding it one pause of at most 2 s every
 * 30 s, and one that stops reading one pause of half a second.
 *
 * <p>Between loops the mark is approximate: deliveries already handed to this session's inbox
 * when it starts pressing still arrive, a few per publisher.
 *
 * <p>Used on the session's loop, except {@link #pressing}, which publishers on any loop read.
 */
final class BacklogPressure {

    private final Session session;
    private final Inbox inbox;
    private final Outbox outbox;
    private volatile boolean pressing;
    /** Never found too slow: its publishers wait as long as it is backed up (a bridge's session). */
    private volatile boolean patient;
    private long episodeStart;
    /** Until when the subscriber counts as slow; volatile as other loops ask {@link #mayPress}. */
    private volatile long slowUntil;
    private long sent;
    private long sentAtLastCheck;
    /** When the subscriber was last seen taking a message during this episode. */
    private long lastProgress;
    /** The longest between two looks at an episode. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private ScheduledFuture<?> check;

    BacklogPressure(Session session, Inbox inbox, Outbox outbox) {
        this.session = session;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /** After a delivery: starts pressing on publishers when the backlog went over its high mark. */
    void afterDelivery() {
        ClientLink link = session.link();
        if (link != null && !pressing && overHighMark(link)) {
            overHigh(session.loopNow(), session.limits().tunables(), inbox::wakeWaiters);
        }
    }

    /** After the outbox drained: ends the episode once the backlog is under its low mark. */
    void afterDrain() {
        ClientLink link = session.link();
        if (pressing) {
            if (link != null && underLowMark(link)) {
                relieve();
            }
        } else if (inbox.hasWaiters() && relieved()) {
            // Publishers told to wait without an episode (the backlog "would" pass its mark, or it
            // built up while the client was away): the drain that brings it down lets them go.
            inbox.wakeWaiters();
        }
    }

    /**
     * The backlog marks: high at half of max_queued_messages or max_queued_bytes (of the in-memory
     * window when unlimited), or half of the QoS 0 bytes a connection may hold; low at a quarter of
     * high, with the socket writable again. Between the two the subscriber catches up without a
     * pause at every message.
     */
    private boolean overHighMark(ClientLink link) {
        if (outbox.backlog() == 0 && link.isWritable()) {
            return false;
        }
        long maxBytes = session.limits().maxQueuedBytes();
        return outbox.backlog() >= highMark() || (maxBytes > 0 && outbox.queuedBytes() >= maxBytes / 2)
                || link.isBackedUp();
    }

    private boolean underLowMark(ClientLink link) {
        long maxBytes = session.limits().maxQueuedBytes();
        return outbox.backlog() <= highMark() / 4 && (maxBytes == 0 || outbox.queuedBytes() <= maxBytes / 8)
                && link.isWritable();
    }

    private int highMark() {
        SessionLimits limits = session.limits();
        int max = limits.maxQueuedMessages();
        return max > 0 ? Math.max(1, max / 2) : limits.tunables().memoryWindow();
    }

    /**
     * From another loop, which reads a burst faster than this loop can take it in: whether the
     * deliveries waiting in the inbox, and the stored ones on their way, would take the backlog
     * over its high mark. Any thread.
     */
    boolean wouldBacklog(int waiting) {
        return session.link() != null && waiting + inbox.planned() + outbox.queuedCount() >= highMark() && mayPress();
    }

    /**
     * Whether publishers paused for this session may read again: its inbox is short, and its
     * backlog neither presses nor would with what waits in the inbox or the store. Any thread.
     */
    boolean relieved() {
        int waiting = inbox.size();
        return waiting < session.limits().tunables().inboxLow() && !pressing && !wouldBacklog(waiting);
    }

    /** Ends a backlog episode (the subscriber caught up, or left): paused publishers read again. */
    void relieve() {
        underLow();
        if (relieved()) {
            inbox.wakeWaiters();
        }
    }

    /** From now on the subscriber is never let off as too slow (see {@link Session#neverTooSlow}). */
    void patient() {
        patient = true;
    }

    /** Whether publishers feeding this session should pause now. */
    boolean pressing() {
        return pressing;
    }

    /** Whether the subscriber may hold publishers back (it was not found slow lately); any thread. */
    boolean mayPress() {
        return System.nanoTime() - slowUntil >= 0;
    }

    /** A message left the session for its client: the subscriber is taking what it is given. */
    void sent() {
        sent++;
    }

    /**
     * The backlog went over its high mark: starts pressing, unless the subscriber was found slow
     * lately. {@code release} runs when the episode ends because the subscriber was too slow.
     */
    void overHigh(EventLoop loop, Tunables tunables, Runnable release) {
        if (pressing || !mayPress()) {
            return;
        }
        pressing = true;
        episodeStart = System.nanoTime();
        lastProgress = episodeStart;
        sentAtLastCheck = sent;
        // Looked at twice per no-progress period, at most every CHECK_NANOS: a long let-off time
        // (a test's, or a bridge's that is never let off) still notices a caught-up backlog soon.
        long every = Math.max(1, Math.min(CHECK_NANOS, tunables.slowNoProgress().toNanos() / 2));
        check = loop.scheduleAtFixedRate(() -> checkProgress(tunables, release), every, every, TimeUnit.NANOSECONDS);
    }

    private void checkProgress(Tunables tunables, Runnable release) {
        ClientLink link = session.link();
        if (link == null || underLowMark(link)) {
            relieve(); // caught up (or gone) without a drain to notice it: the episode ends here
            return;
        }
        long now = System.nanoTime();
        if (sent != sentAtLastCheck) {
            sentAtLastCheck = sent;
            lastProgress = now;
        }
        boolean stalled = now - lastProgress >= tunables.slowNoProgress().toNanos();
        if (!patient && (stalled || now - episodeStart >= tunables.slowMaxEpisode().toNanos())) {
            slowUntil = now + tunables.slowHold().toNanos();
            stop();
            release.run();
        }
    }

    /**
     * The backlog is under its low mark, or the client is gone: publishers may read again.
     * Returns whether it was pressing.
     */
    boolean underLow() {
        if (!pressing) {
            return false;
        }
        stop();
        return true;
    }

    private void stop() {
        pressing = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
