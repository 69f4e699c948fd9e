package io.courtier.broker.security;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one way into an {@link Authenticator}: every MQTT CONNECT and every console Basic login
 * passes here, so password hashing (and any backend that waits on the network) never runs on an
 * event loop and never starves a correct login.
 * <ul>
 * <li>A login of a password-file user who logged in with the same password against the same hash
 * entry within {@link LoginLimits#rememberFor} is accepted at once, without hashing
 * ({@link RememberedLogins}).</li>
 * <li>A cheap check ({@link Authenticator#isSlow} false) runs on the caller's thread, unless its
 * address is being slowed down.</li>
 * <li>Any other check waits for a worker. Checks queued or running are bounded per listener and per
 * source address; past either bound the login is answered {@link AuthResult#SERVER_BUSY} at once
 * and counted. Workers take the waiting checks round-robin by address, so one address flooding
 * the broker delays another address's login by at most one check.</li>
 * <li>A check whose socket has closed meanwhile is dropped, not hashed (the caller cancels the
 * returned future, or {@link LoginRequest#abandoned} says so).</li>
 * <li>After {@link LoginLimits#freeFailures} failures in a row, an address's next checks start no
 * closer together than a pause that doubles with each failure, up to {@link LoginLimits#backoffMax};
 * a success from that address ends the pause.</li>
 * </ul>
 * The lock here guards a few counters for microseconds per login, never a hash.
 */
public final class LoginGate implements AutoCloseable {

    private final LoginLimits limits;
    private final LongAdder refusedBusy;
    private final RememberedLogins remembered;
    private final ScheduledThreadPoolExecutor workers;

    private final Object lock = new Object();
    /** Guarded by lock: checks queued or running per listener. */
    private final Map<Object, Integer> pendingByListener = new HashMap<>();
    /** Guarded by lock: addresses with checks pending or failures remembered. */
    private final Map<InetAddress, Source> sources = new HashMap<>();
    /** Guarded by lock: addresses with queued checks, in the order workers serve them. */
    private final ArrayDeque<Source> turns = new ArrayDeque<>();

    /** One source address's queue and failure record; guarded by lock. */
    private static final class Source {
        final InetAddress address;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        int pending;
        int failures;
        long pauseNanos;
        long nextStartNanos;
        long lastFailureNanos;

        Source(InetAddress address) {
            this.address = address;
        }
    }

    private record Pending(LoginRequest request, Authenticator authenticator, String memo,
                           CompletableFuture<AuthResult> result) {
    }

    public LoginGate(LoginLimits limits, LongAdder refusedBusy) {
        this.limits = limits;
        this.refusedBusy = refusedBusy;
        this.remembered = new RememberedLogins(limits.rememberFor().toNanos(), limits.rememberedMax());
        AtomicInteger n = new AtomicInteger();
        this.workers = new ScheduledThreadPoolExecutor(limits.workers(),
                r -> {
                    Thread t = new Thread(r, "courtier-auth-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.workers.setRemoveOnCancelPolicy(true);
    }

    /**
     * Checks a login with an authenticator. The future completes on the caller's thread when the
     * answer is at hand (remembered, cheap, or refused busy), else on a worker thread. Cancelling it
     * (the socket closed) drops the check if it has not started.
     */
    public CompletableFuture<AuthResult> check(LoginRequest request, Authenticator authenticator) {
        String username = request.username();
        String memo = username == null ? null
                : remembered.keyFor(username, request.password(), authenticator.credentialStamp(username));
        long now = System.nanoTime();
        if (remembered.contains(memo, now)) {
            return CompletableFuture.completedFuture(AuthResult.ACCEPTED);
        }
        boolean slow = authenticator.isSlow(username);
        Pending p;
        synchronized (lock) {
            Source s = sources.computeIfAbsent(request.source(), Source::new);
            forgetOldFailures(s, now);
            boolean slowedDown = s.failures > limits.freeFailures();
            if (!slow && !slowedDown) {
                p = null;
                dropIfIdle(s);
            } else {
                int listenerPending = pendingByListener.getOrDefault(request.listener(), 0);
                if (s.pending >= limits.pendingPerSource() || listenerPending >= limits.pendingPerListener()) {
                    refusedBusy.increment();
                    dropIfIdle(s);
                    return CompletableFuture.completedFuture(AuthResult.SERVER_BUSY);
                }
                p = new Pending(request, authenticator, memo, new CompletableFuture<>());
                s.pending++;
                pendingByListener.merge(request.listener(), 1, Integer::sum);
                if (s.queue.isEmpty()) {
                    turns.add(s);
                }
                s.queue.add(p);
            }
        }
        if (p == null) {
            CompletableFuture<AuthResult> result = new CompletableFuture<>();
            run(request, authenticator, memo, result);
            return result;
        }
        Pending queued = p;
        p.result.whenComplete((r, e) -> {
            if (queued.result.isCancelled()) {
                withdraw(queued);
            }
        });
        if (!schedule(0)) {
            p.result.complete(AuthResult.SERVER_BUSY); // shutting down
        }
        return p.result;
    }

    /** Runs the authenticator and records the outcome; {@code result} completes when the backend answers. */
    private void run(LoginRequest r, Authenticator authenticator, String memo, CompletableFuture<AuthResult> result) {
        CompletionStage<AuthResult> answer;
        try {
            answer = authenticator.authenticateAsync(r.clientId(), r.username(), r.password());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.toCompletableFuture()
                .orTimeout(limits.checkTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((outcome, error) -> {
                    AuthResult settled = error == null ? outcome
                            : error instanceof TimeoutException || error.getCause() instanceof TimeoutException
                            ? AuthResult.SERVER_BUSY : AuthResult.NOT_AUTHORIZED;
                    record(r.source(), settled, memo);
                    result.complete(settled);
                });
    }

    private boolean schedule(long delayNanos) {
        try {
            workers.schedule(this::runNext, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * One worker turn (one is scheduled per queued check): the next address in line that may start
     * a check now. If every address with checks waiting is in its pause, the turn comes back when
     * the first pause ends.
     */
    private void runNext() {
        long now = System.nanoTime();
        Pending p = null;
        long wait = Long.MAX_VALUE;
        synchronized (lock) {
            for (int i = turns.size(); i > 0 && p == null; i--) {
                Source s = turns.poll();
                boolean paused = s.failures > limits.freeFailures() && s.nextStartNanos - now > 0;
                if (paused) {
                    wait = Math.min(wait, s.nextStartNanos - now);
                } else {
                    p = s.queue.poll();
                    if (s.failures > limits.freeFailures()) {
                        s.nextStartNanos = now + s.pauseNanos;
                    }
                }
                if (!s.queue.isEmpty()) {
                    turns.add(s);
                }
            }
        }
        if (p == null) {
            if (wait != Long.MAX_VALUE) {
                schedule(wait);
            }
            return; // else its check was withdrawn, or another turn took it
        }
        if (p.result.isDone() || p.request.abandoned().getAsBoolean()) {
            release(p.request);
            p.result.cancel(false);
            return;
        }
        Pending started = p;
        CompletableFuture<AuthResult> answer = new CompletableFuture<>();
        answer.whenComplete((r, e) -> {
            release(started.request);
            started.result.complete(r);
        });
        run(p.request, p.authenticator, p.memo, answer);
    }

    /** A cancelled check leaves the queue at once, so its place is free for another login. */
    private void withdraw(Pending p) {
        synchronized (lock) {
            Source s = sources.get(p.request.source());
            if (s != null && s.queue.remove(p)) {
                if (s.queue.isEmpty()) {
                    turns.remove(s);
                }
                releaseLocked(p.request);
            }
        }
    }

    private void release(LoginRequest r) {
        synchronized (lock) {
            releaseLocked(r);
        }
    }

    private void releaseLocked(LoginRequest r) {
        pendingByListener.computeIfPresent(r.listener(), (k, v) -> v <= 1 ? null : v - 1);
        Source s = sources.get(r.source());
        if (s != null) {
            s.pending--;
            dropIfIdle(s);
        }
    }

    private void record(InetAddress source, AuthResult outcome, String memo) {
        long now = System.nanoTime();
        if (outcome == AuthResult.ACCEPTED) {
            remembered.remember(memo, now);
        }
        if (outcome == AuthResult.SERVER_BUSY) {
            return;
        }
        synchronized (lock) {
            Source s = sources.computeIfAbsent(source, Source::new);
            if (outcome == AuthResult.ACCEPTED) {
                s.failures = 0;
                s.pauseNanos = 0;
                s.nextStartNanos = now;
                dropIfIdle(s);
                return;
            }
            s.failures++;
            s.lastFailureNanos = now;
            int over = s.failures - limits.freeFailures();
            if (over > 0) {
                long first = limits.backoffFirst().toNanos();
                long pause = over >= 31 ? Long.MAX_VALUE : first << (over - 1);
                s.pauseNanos = Math.min(limits.backoffMax().toNanos(), pause < first ? Long.MAX_VALUE : pause);
                s.nextStartNanos = Math.max(s.nextStartNanos, now + s.pauseNanos);
            }
        }
    }

    private void forgetOldFailures(Source s, long now) {
        if (s.failures > 0 && now - s.lastFailureNanos > limits.failureMemory().toNanos()) {
            s.failures = 0;
            s.pauseNanos = 0;
        }
    }

    private void dropIfIdle(Source s) {
        if (s.pending == 0 && s.failures == 0) {
            sources.remove(s.address, s);
        }
        if (sources.size() > 4 * limits.rememberedMax()) {
            // Many addresses with old failures: forget the ones that are quiet now.
            long now = System.nanoTime();
            for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
                Source o = it.next();
                if (o.pending == 0 && now - o.lastFailureNanos > limits.failureMemory().toNanos()) {
                    it.remove();
                }
            }
        }
    }

    /** Logins refused "server busy" so far. */
    public long refusedBusy() {
        return refusedBusy.sum();
    }

    /** The workers, for other work that must stay off the event loops (its own bounds are the caller's). */
    public Executor workers() {
        return workers;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
