package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.Congestion;

/**
 * How a message from the router reaches a session's {@link Outbox}: at once when the router runs on
 * the session's own loop, through the {@link Inbox} from another loop, or, for a stored message,
 * counted when it is planned and delivered when the group commit has it. Each way tells the
 * publisher to wait (through its {@link Congestion}) when {@link BacklogPressure} says so, and wakes
 * the publishers that waited once the session has caught up.
 */
final class Intake {

    private final Session session;
    private final Inbox inbox;
    private final Outbox outbox;
    private final BacklogPressure pressure;
    /** Made once: a burst from another loop schedules it once, and allocates nothing for it. */
    private final Runnable drainInbox = this::drainInbox;

    Intake(Session session, Inbox inbox, Outbox outbox, BacklogPressure pressure) {
        this.session = session;
        this.inbox = inbox;
        this.outbox = outbox;
        this.pressure = pressure;
    }

    /**
     * A delivery from any thread (the router runs on the publisher's loop). On the session's own loop it delivers at once; from another loop
     * the delivery goes onto the session's inbox, and only the delivery that finds the inbox empty
     * schedules a task to drain it, so a burst of messages for one session costs its loop one
     * task, not one task (and two lambdas) per message. Per-thread order is kept: a publisher's
     * messages all come from its connection's loop. Does not consume the caller's reference.
     */
    void offer(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
               Congestion congestion) {
        Delivery d = new Delivery(message.retainRef(), qos, retainFlag, subscriptionIds, shared);
        if (inbox.isEmpty() && session.loopNow().inEventLoop()) {
            deliverOffered(d);
            if (pressure.pressing()) {
                congestion.note(session);
            }
            return;
        }
        // Inbox sizes for back-pressure (Tunables.inboxHigh/inboxLow): the inbox is work the broker
        // owes this session's loop, not a slow client's backlog (that is the queue, bounded by
        // max_queued_messages); without a bound, publishers on other loops that outrun a busy loop
        // would grow the heap without end.
        boolean wasEmpty = inbox.push(d);
        int waiting = inbox.size();
        if (waiting > session.limits().tunables().inboxHigh() || pressure.pressing() || wouldBacklog(waiting)) {
            congestion.note(session);
        }
        if (wasEmpty) {
            session.execute(drainInbox);
        }
    }

    private void deliverOffered(Delivery d) {
        if (session.isDiscarded()) {
            d.message.release(); // routed to a session that ended meanwhile
        } else {
            outbox.deliver(d, Long.MAX_VALUE);
            checkBacklog();
        }
    }

    /**
     * On the publisher's loop, when {@code Router.plan} counts this session among a stored
     * message's targets: the delivery comes after the group commit, so it is counted from now,
     * and the publisher is told to wait (through its {@link Congestion}) when the backlog presses or
     * would. Reads paused then keep a burst out of the store too, not only out of the queue.
     */
    void notePlanned(Congestion congestion) {
        inbox.planned(1);
        if (pressure.pressing() || wouldBacklog(inbox.size())) {
            congestion.note(session);
        }
    }

    /** A planned delivery that will not come: its message could not be stored. */
    void plannedDropped() {
        inbox.planned(-1);
        if (relieved()) {
            wakePausedPublishers();
        }
    }

    /** A stored delivery {@link #notePlanned} counted, handed over once the group commit has it. */
    void dispatchPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                         Subscriber shared, long entrySeq, long batch) {
        message.retainRef();
        if (session.readNow(message.topic()) == null) {
            // Planned while an authorisation backend had still to be asked: its queue entry is
            // stored (a crash before the answer loses nothing), and the answer decides here.
            session.readCheckLater(message.topic()).whenComplete((allowed, failure) -> session.execute(() -> {
                try {
                    if (Boolean.TRUE.equals(allowed)) {
                        deliverPlanned(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
                    } else {
                        inbox.planned(-1);
                        outbox.forgetEntry(entrySeq, message);
                        if (relieved()) {
                            wakePausedPublishers();
                        }
                    }
                } finally {
                    message.release();
                }
            }));
            return;
        }
        session.execute(() -> {
            try {
                deliverPlanned(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
            } finally {
                message.release();
            }
        });
    }

    /** On the session's loop: a delivery {@link #notePlanned} counted goes to the outbox. */
    private void deliverPlanned(Message message, int qos, boolean retainFlag, int[] subscriptionIds, Subscriber shared,
                                long entrySeq, long batch) {
        inbox.planned(-1);
        session.deliver(message, qos, retainFlag, subscriptionIds, shared, entrySeq, batch);
        checkBacklog();
        if (inbox.hasWaiters() && relieved()) {
            wakePausedPublishers();
        }
    }

    /**
     * Runs {@code resume} once (on this or another loop) when publishers may read again: the
     * inbox is under Tunables.inboxLow and the backlog no longer presses ({@link #relieved}).
     */
    void whenRelieved(Runnable resume) {
        inbox.addWaiter(resume);
        if (relieved()) {
            wakePausedPublishers(); // relieved meanwhile: nobody else may look again
        }
    }

    private void wakePausedPublishers() {
        inbox.wakeWaiters();
    }

    private boolean wouldBacklog(int waiting) {
        return pressure.wouldBacklog(waiting);
    }

    private boolean relieved() {
        return pressure.relieved();
    }

    private void checkBacklog() {
        pressure.afterDelivery();
    }

    /** On the session's loop: delivers what other loops offered, oldest first. */
    void drainInboxNow() {
        drainInbox();
    }

    private void drainInbox() {
        Delivery oldestFirst = inbox.takeAll();
        int taken = 0;
        while (oldestFirst != null) {
            Delivery next = oldestFirst.next;
            oldestFirst.next = null;
            deliverOffered(oldestFirst);
            oldestFirst = next;
            taken++;
        }
        inbox.taken(taken);
        if (relieved()) {
            wakePausedPublishers();
        }
    }
}
