package io.courtier.broker.routing;

import io.courtier.broker.model.Message;
import io.courtier.broker.model.Subscriber;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Local delivery: the topic tree's matches for a message, collapsed to one delivery per client
 * at the highest QoS among its matching subscriptions (MQTT 3.1.1 section 3.3.5 recommends it,
 * and it spares clients duplicates) carrying the subscription identifiers of all of them
 * [MQTT-3.3.4-3], plus one member per shared-subscription group, each handed to its
 * {@link DeliveryTarget}: a local session, or a target attached with {@link #attachRemote} that
 * forwards elsewhere (a bridge, another cluster node; their subscriptions are in the same tree).
 */
public final class Router {

    private static final int[] NO_IDS = new int[0];
    /**
     * Client ids of other cluster nodes as remote targets start with this (the cluster room's
     * route table); no MQTT client may take one when the broker is a cluster node.
     */
    public static final String PEER_PREFIX = "$cluster/";
    /**
     * {id} for the small subscription identifiers clients use in practice, made once, so that a
     * subscription carrying one costs no array per message. Shared like NO_IDS: sessions and
     * Target only read these arrays (Target copies before it adds).
     */
    private static final int[][] SINGLE_IDS = new int[256][];

    static {
        for (int id = 1; id < SINGLE_IDS.length; id++) {
            SINGLE_IDS[id] = new int[] {id};
        }
    }

    private final TopicTree tree;
    private final TargetDirectory local;
    /** Targets that are not sessions (bridges, cluster nodes), by the client id of their subscriptions. */
    private final ConcurrentHashMap<String, DeliveryTarget> remote = new ConcurrentHashMap<>();
    /** upgrade_outgoing_qos; a reload (SIGHUP) may change it. */
    private volatile boolean upgradeOutgoingQos;
    private final ConcurrentHashMap<String, AtomicInteger> shareCursors = new ConcurrentHashMap<>();
    /**
     * route's visitor, made once: it takes the message as an argument and returns its count
     * instead of capturing either, so routing a message allocates no lambda or counter.
     */
    private final Visitor deliverEach = this::deliver;

    public Router(TopicTree tree, TargetDirectory local, boolean upgradeOutgoingQos) {
        this.tree = tree;
        this.local = local;
        this.upgradeOutgoingQos = upgradeOutgoingQos;
    }

    /** A reloaded upgrade_outgoing_qos: applies from the next message routed. */
    public void upgradeOutgoingQos(boolean value) {
        this.upgradeOutgoingQos = value;
    }

    /**
     * A target that is not a local session, receiving what matches the subscriptions its client id
     * holds in the tree. A local session with the same id wins (a session taken from another
     * cluster node has its messages wait in such a target until it is restored here).
     */
    public void attachRemote(DeliveryTarget target) {
        remote.put(target.clientId(), target);
    }

    public void detachRemote(DeliveryTarget target) {
        remote.remove(target.clientId(), target);
    }

    private DeliveryTarget target(String clientId) {
        DeliveryTarget t = local.target(clientId);
        return t != null || remote.isEmpty() ? t : remote.get(clientId);
    }

    /**
     * Delivers a message to every matching target; does not consume the caller's reference. Targets
     * that are backed up note themselves in {@code congestion}. Returns how many targets it was
     * handed to (0: "no matching subscribers" in MQTT 5).
     */
    public int route(Message message, Congestion congestion) {
        return visit(message, deliverEach, congestion, null, null);
    }

    /**
     * What a message another cluster node forwarded here may reach: this node's own targets, never
     * a remote one (it is not forwarded again); its ordinary subscriptions when {@code shareGroup}
     * is null (the sending node chose the members of shared subscriptions), else one member here of
     * that shared subscription, which the sending node chose this node for. Clients in
     * {@code refused} (null: none) do not get it: they have it already, by another path (a
     * session that moved here from another node's parked copy).
     */
    public record Forwarded(String shareGroup, String shareFilter, Set<String> refused) {
        public Forwarded(String shareGroup, String shareFilter) {
            this(shareGroup, shareFilter, null);
        }
    }

    /** {@link #route} for a forwarded message. */
    public int route(Message message, Forwarded forwarded, Congestion congestion) {
        return visit(message, deliverEach, congestion, null, forwarded);
    }

    /** {@link #plan} for a forwarded message. */
    public Plan plan(Message message, Forwarded forwarded, Congestion congestion) {
        ArrayList<Plan.Delivery> planned = new ArrayList<>(2);
        int reached = visit(message, planEach, congestion, planned, forwarded);
        return new Plan(planned, reached - planned.size());
    }

    /**
     * The deliveries a message would get now, without making them: the durable path plans first,
     * stores the message with a queue entry per persistent target, and then {@link #dispatch}es
     * the same plan once the store has it (see the ingest package). Each planned target counts
     * the delivery from now ({@link DeliveryTarget#notePlanned}).
     */
    public Plan plan(Message message, Congestion congestion) {
        ArrayList<Plan.Delivery> planned = new ArrayList<>(2);
        int reached = visit(message, planEach, congestion, planned, null);
        return new Plan(planned, reached - planned.size());
    }

    /**
     * Hands a planned (and stored) message to its targets; does not consume the caller's
     * reference. {@code entrySeqs[i]} is delivery i's stored queue entry (null: none stored).
     */
    public void dispatch(Message message, Plan plan, long[] entrySeqs, long batch) {
        for (int i = 0; i < plan.size(); i++) {
            Plan.Delivery d = plan.get(i);
            d.target().dispatchPlanned(message, d.qos(), d.retainFlag(), d.subscriptionIds(), d.shared(),
                    entrySeqs == null ? 0 : entrySeqs[i], batch);
        }
    }

    /** Tells every target of a plan that its delivery will not come (the message was not stored). */
    public static void drop(Plan plan) {
        for (int i = 0; i < plan.size(); i++) {
            plan.get(i).target().plannedDropped();
        }
    }

    /** route's and plan's visitors, made once: routing a message allocates no lambda. */
    private final Visitor planEach = this::planOne;

    private int planOne(Message m, Subscriber s, int[] ids, boolean retainAsPublished, Subscriber shared,
                        Congestion congestion, List<Plan.Delivery> planned) {
        DeliveryTarget target = target(s.clientId());
        Boolean may = target == null ? Boolean.FALSE : target.mayReadNow(m.topic()); // the ACL, as in deliver
        int qos = upgradeOutgoingQos ? s.qos() : Math.min(m.qos(), s.qos());
        boolean retainFlag = retainAsPublished && m.retain();
        if (Boolean.FALSE.equals(may)) {
            return 0;
        }
        if (target.acceptsAsynchronously()) {
            // Its write runs beside the store's; the acknowledgement waits for both (Congestion).
            target.offer(m, qos, retainFlag, ids, shared, congestion);
            return 1;
        }
        // When a backend has still to be asked (may is null), the delivery is planned and stored all
        // the same: the target asks before it sends, and forgets the entry if the answer is no.
        planned.add(new Plan.Delivery(target, qos, retainFlag, ids, shared));
        target.notePlanned(congestion);
        return 1;
    }

    private interface Visitor {
        /** One delivery the message gets; returns how many targets it was handed to (0 or 1). */
        int match(Message message, Subscriber s, int[] ids, boolean retainAsPublished, Subscriber shared,
                  Congestion congestion, List<Plan.Delivery> planned);
    }

    /** Calls the visitor once per delivery and returns the sum of what it returned. */
    private int visit(Message message, Visitor visitor, Congestion congestion, List<Plan.Delivery> planned,
                      Forwarded forwarded) {
        int sum = 0;
        Matches matches = Matches.take(message.publisherId());
        if (forwarded != null) {
            matches.forwarded = forwarded;
            matches.remote = remote;
        }
        try {
            tree.match(message.topic(), matches);
            for (int j = 0; j < matches.count; j++) {
                Object o = matches.found[j];
                if (o instanceof Target t) {
                    sum += visitor.match(message, t.best, t.ids, t.retainAsPublished, null, congestion, planned);
                } else {
                    Subscriber s = (Subscriber) o;
                    sum += visitor.match(message, s, ids(s), s.retainAsPublished(), null, congestion, planned);
                }
            }
            if (matches.groups != null) {
                for (Map.Entry<String, List<Subscriber>> g : matches.groups.entrySet()) {
                    Subscriber chosen = pickMember(g.getKey(), g.getValue());
                    if (chosen != null) {
                        sum += visitor.match(message, chosen, ids(chosen), chosen.retainAsPublished(), chosen, congestion,
                                planned);
                    }
                }
            }
        } finally {
            matches.giveBack();
        }
        return sum;
    }

    /**
     * Hands a message left unacknowledged by a shared-subscription member whose session ended to
     * another member of the same group (MQTT 5.0 section 4.8.2: "SHOULD send the Application
     * Message to another Client that is subscribed to the same Shared Subscription"). The ended
     * session's subscriptions must already be out of the tree. Returns false if no member is left.
     */
    public boolean rerouteShared(Message message, Subscriber leaver) {
        List<Subscriber> members = new ArrayList<>();
        tree.match(message.topic(), s -> {
            if (Objects.equals(s.shareGroup(), leaver.shareGroup()) && s.filter().equals(leaver.filter())
                    && !s.clientId().equals(leaver.clientId())) {
                members.add(s);
            }
        });
        Subscriber chosen = pickMember(leaver.shareGroup() + '/' + leaver.filter(), members);
        return chosen != null
                && deliver(message, chosen, ids(chosen), chosen.retainAsPublished(), chosen, Congestion.IGNORED, null) > 0;
    }

    private static int[] ids(Subscriber s) {
        int id = s.subscriptionId();
        if (id == 0) {
            return NO_IDS;
        }
        return id < SINGLE_IDS.length ? SINGLE_IDS[id] : new int[] {id};
    }

    private int deliver(Message message, Subscriber s, int[] ids, boolean retainAsPublished, Subscriber shared,
                        Congestion congestion, List<Plan.Delivery> unused) {
        DeliveryTarget target = target(s.clientId());
        Boolean may = target == null ? Boolean.FALSE : target.mayReadNow(message.topic());
        if (may != null && !may) {
            return 0; // the subscriber's ACL forbids reading this topic: Mosquitto drops it silently
        }
        int qos = upgradeOutgoingQos ? s.qos() : Math.min(message.qos(), s.qos());
        // Forwarded messages carry RETAIN 0 unless the subscriber asked to see it [MQTT-3.3.1-9] [MQTT-3.3.1-12].
        boolean retainFlag = retainAsPublished && message.retain();
        if (may == null) { // an authorisation backend has to be asked first, off this loop
            target.offerWhenAllowed(message, qos, retainFlag, ids, shared);
            return 1;
        }
        target.offer(message, qos, retainFlag, ids, shared, congestion);
        return 1;
    }

    /** Round robin over the group's members, preferring connected ones. */
    private Subscriber pickMember(String group, List<Subscriber> members) {
        int n = members.size();
        if (n == 0) {
            return null;
        }
        int start = shareCursors.computeIfAbsent(group, k -> new AtomicInteger()).getAndIncrement();
        Subscriber fallback = null;
        for (int i = 0; i < n; i++) {
            Subscriber s = members.get(Math.floorMod(start + i, n));
            DeliveryTarget target = target(s.clientId());
            if (target != null && target.isConnected()) {
                return s;
            }
            if (fallback == null && target != null) {
                fallback = s;
            }
        }
        return fallback;
    }

    /** One client's matching subscriptions, collapsed. */
    private static final class Target {
        Subscriber best;
        int[] ids = NO_IDS;
        boolean retainAsPublished;

        Target(Subscriber s) {
            best = s;
            add(s);
        }

        void merge(Subscriber s) {
            if (s.qos() > best.qos()) {
                best = s;
            }
            add(s);
        }

        private void add(Subscriber s) {
            retainAsPublished |= s.retainAsPublished();
            int id = s.subscriptionId();
            if (id != 0) {
                for (int existing : ids) {
                    if (existing == id) {
                        return;
                    }
                }
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = id;
            }
        }
    }

    /**
     * Collects matches, one entry per client: the Subscriber itself, or a {@link Target} once a
     * second subscription of the same client merges in. Clients are found again by id in an
     * open-addressing table of indexes. One per thread, reused from message to message with its
     * arrays (a fan-out to N clients allocates nothing here), unless a delivery routes again on
     * the same thread (a will published when a write fails), which gets a fresh one.
     */
    private static final class Matches implements Consumer<Subscriber> {
        private static final FastThreadLocal<Matches> PER_THREAD = new FastThreadLocal<>() {
            @Override
            protected Matches initialValue() {
                return new Matches();
            }
        };

        private String publisherId;
        private boolean inUse;
        /** Set for a message another node forwarded: which matches it may take (see {@link #keeps}). */
        Forwarded forwarded;
        Map<String, DeliveryTarget> remote;
        /** Subscriber or Target, in match order. */
        Object[] found = new Object[8];
        int count;
        /** Slot of found[j] in {@link #slots}, to clear it after the message. */
        private int[] slotOf = new int[8];
        /** Open addressing over client ids: index + 1 into found, 0 = free. */
        private int[] slots = new int[16];
        Map<String, List<Subscriber>> groups;

        /** A forwarded message: no remote target, and the shared subscription it was sent for or none. */
        private boolean keeps(Subscriber s) {
            DeliveryTarget r = remote.get(s.clientId());
            if (r != null && !r.takesForwarded()) {
                return false;
            }
            if (forwarded.refused() != null && forwarded.refused().contains(s.clientId())) {
                return false;
            }
            String group = forwarded.shareGroup();
            return group == null ? s.shareGroup() == null
                    : group.equals(s.shareGroup()) && forwarded.shareFilter().equals(s.filter());
        }

        static Matches take(String publisherId) {
            Matches m = PER_THREAD.get();
            if (m.inUse) {
                m = new Matches();
            }
            m.inUse = true;
            m.publisherId = publisherId;
            return m;
        }

        void giveBack() {
            for (int j = 0; j < count; j++) {
                slots[slotOf[j]] = 0;
                found[j] = null;
            }
            count = 0;
            groups = null;
            publisherId = null;
            inUse = false;
            forwarded = null;
            remote = null;
        }

        @Override
        public void accept(Subscriber s) {
            if (forwarded != null && !keeps(s)) {
                return;
            }
            if (s.shareGroup() != null) {
                if (groups == null) {
                    groups = new HashMap<>();
                }
                groups.computeIfAbsent(s.shareGroup() + '/' + s.filter(), k -> new ArrayList<>()).add(s);
                return;
            }
            // No Local: not sent back to the client that published it [MQTT-3.8.3-3].
            if (s.noLocal() && s.clientId().equals(publisherId)) {
                return;
            }
            String id = s.clientId();
            int mask = slots.length - 1;
            int i = slotFor(id, mask);
            for (int k; (k = slots[i]) != 0; i = (i + 1) & mask) {
                Object o = found[k - 1];
                if (clientOf(o).equals(id)) {
                    if (o instanceof Target t) {
                        t.merge(s);
                    } else {
                        Target t = new Target((Subscriber) o);
                        t.merge(s);
                        found[k - 1] = t;
                    }
                    return;
                }
            }
            if (count == found.length) {
                found = Arrays.copyOf(found, count * 2);
                slotOf = Arrays.copyOf(slotOf, count * 2);
            }
            found[count] = s;
            slotOf[count] = i;
            slots[i] = ++count;
            if (count * 2 > slots.length) {
                rehash();
            }
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 1;
            for (int j = 0; j < count; j++) {
                int i = slotFor(clientOf(found[j]), mask);
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = j + 1;
                slotOf[j] = i;
            }
        }

        private static int slotFor(String clientId, int mask) {
            int h = clientId.hashCode();
            return (h ^ (h >>> 16)) & mask;
        }

        static String clientOf(Object o) {
            return o instanceof Target t ? t.best.clientId() : ((Subscriber) o).clientId();
        }
    }
}
