package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The login gate's rules one by one, with a password file's real hash check behind an
 * authenticator that counts its calls and can be held (the broker-level flood is LoginFloodTest).
 */
class LoginGateTest {

    private static final InetAddress A = address("127.0.0.1");
    private static final InetAddress B = address("127.0.0.2");

    private final LongAdder busy = new LongAdder();
    /** One worker, as on the project's two-core machines, so "the running check" is one check. */
    private final LoginGate gate = new LoginGate(oneWorker(), busy);
    private final CountDownLatch held = new CountDownLatch(1);
    private final AtomicInteger checks = new AtomicInteger();
    private final List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String stamp = "hash-1";

    /** alice's password is "right"; the first check waits until {@link #held} is released. */
    private final Authenticator slow = new Authenticator() {
        @Override
        public AuthResult authenticate(String clientId, String username, byte[] password) {
            if (checks.getAndIncrement() == 0) {
                try {
                    held.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            order.add(clientId);
            return new String(password, StandardCharsets.UTF_8).equals("right") ? AuthResult.ACCEPTED
                    : AuthResult.NOT_AUTHORIZED;
        }

        @Override
        public boolean isSlow(String username) {
            return true;
        }

        @Override
        public String credentialStamp(String username) {
            return stamp;
        }
    };

    @AfterEach
    void close() {
        held.countDown();
        gate.close();
    }

    private static LoginLimits oneWorker() {
        LoginLimits d = LoginLimits.DEFAULT;
        return new LoginLimits(1, d.pendingPerListener(), d.pendingPerSource(), d.freeFailures(), d.backoffFirst(),
                d.backoffMax(), d.failureMemory(), d.checkTimeout(), d.rememberFor(), d.rememberedMax());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<AuthResult> check(InetAddress from, String id, String password, AtomicBoolean closed) {
        return gate.check(new LoginRequest("listener", from, id, "alice", password.getBytes(StandardCharsets.UTF_8),
                closed::get), slow);
    }

    private CompletableFuture<AuthResult> check(InetAddress from, String id, String password) {
        return check(from, id, password, new AtomicBoolean());
    }

    @Test
    void checksOfClosedSocketsAreDroppedNotRun() {
        CompletableFuture<AuthResult> first = check(A, "first", "wrong"); // holds the only worker
        AtomicBoolean closed = new AtomicBoolean();
        List<CompletableFuture<AuthResult>> gone = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gone.add(check(A, "gone-" + i, "wrong", closed));
        }
        CompletableFuture<AuthResult> cancelled = check(A, "cancelled", "wrong");
        cancelled.cancel(false);
        closed.set(true);
        CompletableFuture<AuthResult> last = check(A, "last", "right");
        held.countDown();
        await().atMost(Duration.ofSeconds(20)).until(last::isDone);
        assertThat(first.join()).isEqualTo(AuthResult.NOT_AUTHORIZED);
        assertThat(last.join()).isEqualTo(AuthResult.ACCEPTED);
        assertThat(order).containsExactly("first", "last");
        assertThat(gone).allMatch(CompletableFuture::isCancelled);
    }

    @Test
    void pastEightWaitingChecksAnAddressIsAnsweredServerBusyAtOnce() {
        List<CompletableFuture<AuthResult>> queued = new ArrayList<>();
        for (int i = 0; i < LoginLimits.DEFAULT.pendingPerSource(); i++) {
            queued.add(check(A, "q" + i, "wrong"));
        }
        CompletableFuture<AuthResult> ninth = check(A, "ninth", "wrong");
        assertThat(ninth).isCompletedWithValue(AuthResult.SERVER_BUSY);
        assertThat(busy.sum()).isEqualTo(1);
        // Another address still gets its place.
        CompletableFuture<AuthResult> other = check(B, "other", "right");
        assertThat(other).isNotDone();
        held.countDown();
        await().atMost(Duration.ofSeconds(20)).until(other::isDone);
        assertThat(other.join()).isEqualTo(AuthResult.ACCEPTED);
    }

    @Test
    void anotherAddressIsServedBeforeTheRestOfAFloodingAddressesQueue() {
        check(A, "a0", "wrong");
        for (int i = 1; i < 6; i++) {
            check(A, "a" + i, "wrong");
        }
        CompletableFuture<AuthResult> b = check(B, "b", "right");
        held.countDown();
        await().atMost(Duration.ofSeconds(20)).until(b::isDone);
        assertThat(order.indexOf("b")).isLessThanOrEqualTo(2); // after a0 (running) and at most one more of A's
    }

    @Test
    void aSuccessIsRememberedUntilTheHashEntryChanges() {
        held.countDown();
        assertThat(check(A, "one", "right").join()).isEqualTo(AuthResult.ACCEPTED);
        assertThat(check(A, "two", "right")).isCompletedWithValue(AuthResult.ACCEPTED); // no check ran
        assertThat(checks.get()).isEqualTo(1);
        assertThat(check(A, "wrong", "wrong").join()).isEqualTo(AuthResult.NOT_AUTHORIZED); // other password: checked
        stamp = "hash-2"; // mosquitto_passwd changed alice's entry, and the file was reloaded
        assertThat(check(A, "three", "right").join()).isEqualTo(AuthResult.ACCEPTED);
        assertThat(checks.get()).isEqualTo(3);
    }
}
