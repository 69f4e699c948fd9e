package io.courtier.broker.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What other event loops hand a session: deliveries waiting for the session's loop (a lock-free
 * stack, newest first, pushed from any thread and drained on the session's loop), the stored
 * deliveries planned for it and not dispatched yet, and the resume actions of the publishers that
 * stopped reading for it. The session decides when publishers wait and when they read again;
 * this only keeps the counts those decisions read, without locks.
 */
final class Inbox {

    private static final VarHandle HEAD;
    private static final VarHandle SIZE;
    private static final VarHandle PLANNED;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(Inbox.class, "head", Delivery.class);
            SIZE = lookup.findVarHandle(Inbox.class, "size", int.class);
            PLANNED = lookup.findVarHandle(Inbox.class, "planned", int.class);
            WAITERS = lookup.findVarHandle(Inbox.class, "waiters", ConcurrentLinkedQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Newest first, linked through {@link Delivery#next}. */
    private volatile Delivery head;
    /** Deliveries in the stack (approximate while a drain runs). */
    private volatile int size;
    /** Stored deliveries planned for the session and not dispatched yet. */
    private volatile int planned;
    /** Publishers' resume actions (made on first use: most sessions never hold anyone back). */
    private volatile ConcurrentLinkedQueue<Runnable> waiters;

    boolean isEmpty() {
        return head == null;
    }

    /** Pushes a delivery from any thread; returns whether the stack was empty (the caller schedules a drain). */
    boolean push(Delivery d) {
        Delivery h;
        do {
            h = head;
            d.next = h;
        } while (!HEAD.compareAndSet(this, h, d));
        SIZE.getAndAdd(this, 1);
        return h == null;
    }

    int size() {
        return size;
    }

    /** Takes everything pushed so far, oldest first (linked through next); call {@link #taken} after. */
    Delivery takeAll() {
        Delivery newestFirst = (Delivery) HEAD.getAndSet(this, null);
        Delivery oldestFirst = null;
        while (newestFirst != null) {
            Delivery next = newestFirst.next;
            newestFirst.next = oldestFirst;
            oldestFirst = newestFirst;
            newestFirst = next;
        }
        return oldestFirst;
    }

    void taken(int count) {
        SIZE.getAndAdd(this, -count);
    }

    void planned(int delta) {
        PLANNED.getAndAdd(this, delta);
    }

    int planned() {
        return planned;
    }

    void addWaiter(Runnable resume) {
        ConcurrentLinkedQueue<Runnable> w = waiters;
        if (w == null) {
            WAITERS.compareAndSet(this, null, new ConcurrentLinkedQueue<Runnable>());
            w = waiters;
        }
        w.add(resume);
    }

    boolean hasWaiters() {
        ConcurrentLinkedQueue<Runnable> w = waiters;
        return w != null && !w.isEmpty();
    }

    /** Runs every waiting resume action once (each is polled, and so run, exactly once). */
    void wakeWaiters() {
        ConcurrentLinkedQueue<Runnable> w = waiters;
        if (w != null) {
            for (Runnable r; (r = w.poll()) != null; ) {
                r.run();
            }
        }
    }
}
