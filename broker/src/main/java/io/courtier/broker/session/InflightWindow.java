package io.courtier.broker.session;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A session's outbound QoS 1/2 deliveries sent and not yet acknowledged, found by packet id and
 * kept in the order they were sent: a resumed session resends them in that order [MQTT-4.4.0-1].
 * <p>
 * Every QoS 1/2 message passes through here, so adding, finding and removing one allocates
 * nothing: packet ids stay {@code int}s, the table holds the deliveries themselves (a delivery's
 * key is its {@link Delivery#packetId}), and send order is a list linked through the deliveries'
 * own fields. The table is made on the first add and only grows (a shrink would allocate again
 * as soon as the window refills), so an idle session that never got a QoS 1/2 message pays for
 * this object alone. Owned by the session's loop: no locks.
 */
final class InflightWindow implements Iterable<Delivery> {

    /** Slots of a new table: 6 deliveries before it first grows. A power of two, as every size is. */
    private static final int FIRST_CAPACITY = 8;

    /**
     * Open addressing with linear probing, at most 3/4 full, so every probe ends at a null slot.
     * Null until the first add.
     */
    private Delivery[] slots;
    private Delivery oldest;
    private Delivery newest;
    private int size;
    /**
     * Deliveries not in their home slot. A removal has to pull later deliveries of its run back
     * only when one of them is displaced, so while none is — the common case, ids in sequence —
     * it empties one slot and stops, however long the run of ids in flight.
     */
    private int displaced;
    /** Bumped by every change, so that an iteration that outlives one fails instead of releasing a message twice. */
    private int modCount;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Slots in the table, 0 before the first add: for tests of what an idle or steady window costs. */
    int capacity() {
        return slots == null ? 0 : slots.length;
    }

    /** Deliveries out of their home slot: for tests that the common case takes the short way. */
    int displaced() {
        return displaced;
    }

    /** The delivery in flight under {@code packetId}, or null. */
    Delivery get(int packetId) {
        Delivery[] t = slots;
        if (t == null) {
            return null;
        }
        int mask = t.length - 1;
        for (int i = home(packetId, mask); ; i = (i + 1) & mask) {
            Delivery d = t[i];
            if (d == null || d.packetId == packetId) {
                return d;
            }
        }
    }

    /** Whether {@code packetId} is in use by a delivery in flight [MQTT-2.3.1-2]. */
    boolean contains(int packetId) {
        return get(packetId) != null;
    }

    /**
     * Adds a delivery under its packet id, as the newest in flight. The id must be free and the
     * delivery in no list: a second delivery under one id would lose the first one's message.
     */
    void add(Delivery d) {
        int packetId = d.packetId;
        if (packetId < 1 || packetId > 65_535) {
            throw new IllegalArgumentException("packet id out of range: " + packetId);
        }
        if (d.next != null || d.prev != null || oldest == d) {
            throw new IllegalStateException("delivery " + packetId + " is already in a list");
        }
        if (contains(packetId)) {
            throw new IllegalStateException("packet id " + packetId + " is already in flight");
        }
        if (slots == null) {
            slots = new Delivery[FIRST_CAPACITY];
        } else if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        place(slots, d);
        d.prev = newest;
        if (newest == null) {
            oldest = d;
        } else {
            newest.next = d;
        }
        newest = d;
        size++;
        modCount++;
    }

    /** Removes and returns the delivery in flight under {@code packetId}, or null if there is none. */
    Delivery remove(int packetId) {
        Delivery[] t = slots;
        if (t == null) {
            return null;
        }
        int mask = t.length - 1;
        int i = home(packetId, mask);
        Delivery d;
        while ((d = t[i]) != null && d.packetId != packetId) {
            i = (i + 1) & mask;
        }
        if (d == null) {
            return null;
        }
        if (i != home(packetId, mask)) {
            displaced--;
        }
        closeGap(t, i);
        unlink(d);
        size--;
        modCount++;
        return d;
    }

    /** Forgets every delivery and the table with them (the session is gone). */
    void clear() {
        for (Delivery d = oldest; d != null; ) {
            Delivery next = d.next;
            d.prev = null;
            d.next = null;
            d = next;
        }
        oldest = null;
        newest = null;
        slots = null;
        size = 0;
        displaced = 0;
        modCount++;
    }

    /** The deliveries in flight, oldest sent first. The window must not change while one is walked. */
    @Override
    public Iterator<Delivery> iterator() {
        return new Iterator<>() {
            private Delivery next = oldest;
            private final int expectedModCount = modCount;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Delivery next() {
                if (modCount != expectedModCount) {
                    throw new ConcurrentModificationException();
                }
                Delivery d = next;
                if (d == null) {
                    throw new NoSuchElementException();
                }
                next = d.next;
                return d;
            }
        };
    }

    /**
     * A packet id's first slot is the id itself, masked: the broker hands ids out in sequence, so
     * the ids in flight at once usually fill consecutive slots and never collide, which a
     * scrambling hash would only spoil.
     */
    private static int home(int packetId, int mask) {
        return packetId & mask;
    }

    private void place(Delivery[] t, Delivery d) {
        int mask = t.length - 1;
        int home = home(d.packetId, mask);
        int i = home;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = d;
        if (i != home) {
            displaced++;
        }
    }

    /**
     * Empties slot {@code gap} and moves back, into the hole, each later delivery of the same run
     * whose probe would otherwise stop at it: no tombstones, so a window that sees millions of
     * adds and removes probes as fast as a fresh one.
     */
    private void closeGap(Delivery[] t, int gap) {
        int mask = t.length - 1;
        t[gap] = null;
        for (int j = (gap + 1) & mask; displaced > 0 && t[j] != null; j = (j + 1) & mask) {
            Delivery e = t[j];
            int home = home(e.packetId, mask);
            // e may fill the gap unless its home lies after the gap, cyclically, up to j.
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                t[gap] = e;
                t[j] = null;
                if (gap == home) {
                    displaced--;
                }
                gap = j;
            }
        }
    }

    private void grow() {
        Delivery[] bigger = new Delivery[slots.length * 2];
        displaced = 0;
        for (Delivery d = oldest; d != null; d = d.next) {
            place(bigger, d);
        }
        slots = bigger;
    }

    private void unlink(Delivery d) {
        Delivery before = d.prev;
        Delivery after = d.next;
        if (before == null) {
            oldest = after;
        } else {
            before.next = after;
        }
        if (after == null) {
            newest = before;
        } else {
            after.prev = before;
        }
        d.prev = null;
        d.next = null;
    }
}
