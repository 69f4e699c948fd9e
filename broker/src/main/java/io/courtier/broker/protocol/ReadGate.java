package io.courtier.broker.protocol;

import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.DeliveryTarget;
import io.courtier.codec.MqttPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Which of a connection's packets are handled now and which wait, in order: the ones pipelined
 * after a CONNECT that is still being checked, and the rest of a read while reading is paused,
 * either for back-pressure (what the client published found a subscriber backed up) or for an
 * ACL backend's answer. It exists so that pausing, holding and resuming are one piece with one
 * invariant: a held packet is handled, or released, exactly once and never overtaken. Owned by
 * the connection's event loop; the per-connection {@link Congestion} is made once and reused.
 */
final class ReadGate {

    private final MqttConnection c;
    /** What this client's packets found backed up: filled in by the routing of what it publishes. */
    final Congestion congestion = new Congestion();
    /** Packets that came after CONNECT while it is checked; the client may pipeline them (made on first use). */
    private List<MqttPacket> receivedWhileConnecting;
    /** Whether reading is paused ({@link #pauseReadingFor}, {@link #waitFor}). */
    private boolean paused;
    /** Packets of the last read that came after the pause, handled on resume (made on first use). */
    private ArrayDeque<MqttPacket> heldWhilePaused;

    ReadGate(MqttConnection c) {
        this.c = c;
    }

    /** Keeps the packet for later when it may not be handled now; true when it kept it. */
    boolean holds(MqttPacket packet) {
        if (c.state == MqttConnection.State.CONNECTING) {
            if (receivedWhileConnecting == null) {
                receivedWhileConnecting = new ArrayList<>(2);
            }
            receivedWhileConnecting.add(packet); // the client may pipeline packets after CONNECT
            return true;
        }
        if (paused) {
            // The rest of a read that came in before the pause: a 64 KB read holds hundreds of
            // PUBLISHes, too many to add to a backlog that is already over its mark.
            if (heldWhilePaused == null) {
                heldWhilePaused = new ArrayDeque<>();
            }
            heldWhilePaused.add(packet);
            return true;
        }
        return false;
    }

    boolean isPaused() {
        return paused;
    }

    /** Stops reading when what this client published found a target backed up (not its own session). */
    boolean pauseIfCongested() {
        DeliveryTarget congested = congestion.take();
        if (congested != null && congested != c.session) { // its own acknowledgements come this way
            pauseReadingFor(congested);
            return true;
        }
        return false;
    }

    /**
     * Back-pressure: what this client published filled another loop's share of work for a
     * session, or reached a subscriber whose backlog is over its high mark, so stop reading its
     * socket (TCP then slows the client down) until that loop or subscriber has caught up (or the
     * subscriber is found too slow to wait for). Nothing is dropped, and the heap stays bounded.
     */
    private void pauseReadingFor(DeliveryTarget congested) {
        if (paused) {
            return;
        }
        paused = true;
        c.ctx.channel().config().setAutoRead(false);
        congested.whenRelieved(() -> {
            try {
                c.ctx.executor().execute(this::resumeReading);
            } catch (RejectedExecutionException stopped) {
                // the broker is shutting down: nothing left to read for
            }
        });
    }

    /**
     * An ACL check that has to ask a backend: reading stops (later packets wait, in order) until
     * {@code answer} completes, then {@code then} runs on this loop with it and reading resumes.
     * {@code then} also runs when the connection closed meanwhile, so it can release what it holds.
     */
    <T> void waitFor(CompletableFuture<T> answer, Consumer<T> then) {
        paused = true;
        c.ctx.channel().config().setAutoRead(false);
        answer.whenComplete((value, failure) -> {
            try {
                c.ctx.executor().execute(() -> {
                    try {
                        then.accept(value);
                    } catch (RuntimeException e) {
                        MqttConnection.LOG.warn("Closing client {} after an internal error", c.describe(), e);
                        c.ctx.close();
                    }
                    paused = false;
                    if (!pauseIfCongested() && c.state != MqttConnection.State.CLOSED) {
                        resumeReading();
                    }
                });
            } catch (RejectedExecutionException stopped) {
                // the broker is shutting down
            }
        });
    }

    /** Handles what was held back, unless that pauses again, then reads the socket again. */
    private void resumeReading() {
        paused = false;
        MqttPacket held;
        while (!paused && heldWhilePaused != null && (held = heldWhilePaused.poll()) != null) {
            c.handle(held);
        }
        if (!paused) {
            c.ctx.channel().config().setAutoRead(true);
        }
    }

    /** CONNECT is through: the packets pipelined after it are handled now, in order. */
    void replayPipelined() {
        List<MqttPacket> pending = receivedWhileConnecting;
        receivedWhileConnecting = null;
        if (pending == null) {
            return;
        }
        for (MqttPacket p : pending) {
            dispatchAndRelease(p);
        }
    }

    /**
     * The socket closed: pipelined packets of a CONNECT never accepted are dropped, but what was
     * held while paused counts (a DISCONNECT among it means no will).
     */
    void drainOnClose() {
        if (receivedWhileConnecting != null) {
            for (MqttPacket p : receivedWhileConnecting) {
                ReferenceCountUtil.release(p);
            }
            receivedWhileConnecting = null;
        }
        for (MqttPacket held; heldWhilePaused != null && (held = heldWhilePaused.poll()) != null; ) {
            dispatchAndRelease(held);
        }
    }

    private void dispatchAndRelease(MqttPacket p) {
        try {
            c.dispatch(p);
        } finally {
            ReferenceCountUtil.release(p);
        }
    }
}
