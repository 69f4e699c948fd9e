package io.courtier.broker.protocol;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * Every connection's keep-alive deadline on one event loop, checked by one timer: a hashed wheel
 * of half-second slots. A connection sits in the slot of its deadline; a packet read only notes
 * the wheel's current tick (no clock read, no timer touched), and when the slot comes round the
 * connection either moves on to its new deadline or has been silent too long. One timer per
 * loop instead of a handler, a scheduled task and its re-arming per connection: about 250 bytes
 * less per idle connection, and nothing to do per packet.
 *
 * <p>Deadlines are rounded up to the next tick and one more, so a client is never cut off
 * before one and a half times its keep-alive [MQTT-3.1.2-24], and at most a second after.
 * Only the owning loop touches a wheel and its entries.
 */
final class KeepAliveWheel {

    static final long TICK_MILLIS = 500;
    /** A power of two: 256 s of deadlines per turn; longer ones are looked at once a turn. */
    private static final int SLOTS = 512;

    private static final FastThreadLocal<KeepAliveWheel> PER_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    private final Entry[] heads = new Entry[SLOTS];
    /** Ticks since the wheel started; what a read records. */
    private long tick;
    private boolean running;

    private KeepAliveWheel(EventExecutor loop) {
        this.loop = loop;
    }

    /** The wheel of the loop this runs on (made on first use). */
    static KeepAliveWheel of(EventExecutor loop) {
        KeepAliveWheel wheel = PER_LOOP.get();
        if (wheel == null || wheel.loop != loop) {
            wheel = new KeepAliveWheel(loop);
            PER_LOOP.set(wheel);
        }
        return wheel;
    }

    /** Watches {@code connection}, which must read a packet every {@code timeoutMillis} or be closed. */
    Entry watch(MqttConnection connection, long timeoutMillis) {
        Entry e = new Entry(this, connection, (int) Math.min(Integer.MAX_VALUE, (timeoutMillis + TICK_MILLIS - 1) / TICK_MILLIS + 1));
        e.lastRead = tick;
        link(e, tick + e.ticks);
        if (!running) {
            running = true;
            loop.scheduleAtFixedRate(this::advance, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return e;
    }

    private void advance() {
        long now = ++tick;
        int slot = (int) (now & (SLOTS - 1));
        Entry e = heads[slot];
        while (e != null) {
            Entry next = e.next;
            if (e.deadline <= now) {
                unlink(e);
                long due = e.lastRead + e.ticks;
                if (due > now) {
                    link(e, due);
                } else if (!e.connection.keepAliveExpired()) {
                    e.lastRead = now; // the silence was the broker's (reading paused): count from now
                    link(e, now + e.ticks);
                }
            }
            e = next;
        }
    }

    private void link(Entry e, long deadline) {
        int slot = (int) (deadline & (SLOTS - 1));
        e.deadline = deadline;
        e.slot = slot;
        e.prev = null;
        e.next = heads[slot];
        if (e.next != null) {
            e.next.prev = e;
        }
        heads[slot] = e;
    }

    private void unlink(Entry e) {
        if (e.prev != null) {
            e.prev.next = e.next;
        } else if (heads[e.slot] == e) {
            heads[e.slot] = e.next;
        } else {
            return; // not linked
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
    }

    /** One watched connection. */
    static final class Entry {
        private final KeepAliveWheel wheel;
        private final MqttConnection connection;
        private final int ticks;
        private long lastRead;
        private long deadline;
        private int slot;
        private Entry prev;
        private Entry next;

        private Entry(KeepAliveWheel wheel, MqttConnection connection, int ticks) {
            this.wheel = wheel;
            this.connection = connection;
            this.ticks = ticks;
        }

        /** A packet came in: the deadline moves (when its slot comes round). */
        void read() {
            lastRead = wheel.tick;
        }

        /** The connection closed: no longer watched. */
        void cancel() {
            wheel.unlink(this);
        }
    }
}
