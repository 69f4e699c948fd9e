package io.courtier.broker.session;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session's two clocks: its expiry after the connection ends, and a delayed will (MQTT 5 Will
 * Delay Interval). Each fires on the session's loop, following it when the client reconnects
 * through another one. Used on the session's loop only.
 */
final class SessionTimers {

    private final Session session;
    private ScheduledFuture<?> expiryTask;
    /** Seconds left of the expiry interval of a session restored at start-up; -1 when none. */
    private long expiresInAfterRestore = -1;
    private Runnable pendingWill;
    private ScheduledFuture<?> willTask;

    SessionTimers(Session session) {
        this.session = session;
    }

    /** Runs {@code end} when the expiry interval passes with no new connection; replaces an earlier timer. */
    void scheduleExpiry(long expiryInterval, Runnable end) {
        cancelExpiry();
        if (expiryInterval != Session.NEVER) {
            // A session restored at start-up has only what was left of its interval when it was stored.
            long delay = expiresInAfterRestore >= 0 ? expiresInAfterRestore : expiryInterval;
            expiresInAfterRestore = -1;
            expiryTask = session.loop().schedule(() -> session.execute(() -> {
                if (!session.isConnected()) {
                    end.run();
                }
            }), delay, TimeUnit.SECONDS);
        }
    }

    void restoreExpiresIn(long seconds) {
        this.expiresInAfterRestore = Math.max(0, seconds);
    }

    void cancelExpiry() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
            expiryTask = null;
        }
    }

    void scheduleWill(long delaySeconds, Runnable publish) {
        cancelWill();
        pendingWill = publish;
        willTask = session.loop().schedule(() -> session.execute(this::firePendingWill), delaySeconds,
                TimeUnit.SECONDS);
    }

    /** The waiting delayed will and what is left of its delay, no longer this session's (null: none). */
    Session.PendingWill takePendingWill() {
        if (pendingWill == null) {
            return null;
        }
        Session.PendingWill taken = new Session.PendingWill(pendingWill,
                Math.max(0, willTask.getDelay(TimeUnit.MILLISECONDS)));
        cancelWill();
        return taken;
    }

    void firePendingWill() {
        Runnable w = pendingWill;
        cancelWill();
        if (w != null) {
            w.run();
        }
    }

    void cancelWill() {
        pendingWill = null;
        if (willTask != null) {
            willTask.cancel(false);
            willTask = null;
        }
    }
}
