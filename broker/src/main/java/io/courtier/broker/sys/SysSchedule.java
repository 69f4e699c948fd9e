package io.courtier.broker.sys;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the {@code $SYS} tree is published: every {@code sys_interval} seconds on one event loop,
 * never with 0. A reload may change the interval, as in Mosquitto, which reads it afresh on each
 * pass of its main loop: 0 stops the updates (what is retained stays), and a tree that was off
 * starts.
 */
public final class SysSchedule implements AutoCloseable {

    private final EventLoop loop;
    private final Runnable publish;
    private int interval;
    private ScheduledFuture<?> task;

    /** Publishes once at once, so the values are retained before anyone can connect, then on schedule. */
    public SysSchedule(EventLoop loop, Runnable publish, int interval) {
        this.loop = loop;
        this.publish = publish;
        if (interval > 0) {
            loop.submit(publish).syncUninterruptibly();
        }
        schedule(interval);
    }

    /** Puts a new {@code sys_interval} in force; the same value changes nothing. */
    public synchronized void reschedule(int newInterval) {
        if (newInterval == interval) {
            return;
        }
        cancel();
        if (newInterval > 0) {
            loop.execute(publish);
        }
        schedule(newInterval);
    }

    private synchronized void schedule(int seconds) {
        interval = seconds;
        task = seconds > 0 ? loop.scheduleAtFixedRate(publish, seconds, seconds, TimeUnit.SECONDS) : null;
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public synchronized void close() {
        cancel();
    }
}
