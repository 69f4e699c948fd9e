package io.courtier.broker.routing;

import io.courtier.broker.model.Subscriber;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The subscription trie: one node per filter level, subscribers on the node where their filter
 * ends. Readers ({@link #match}) run on every event loop at once and take no lock: children are
 * a ConcurrentHashMap (made with a node's first child) and each node's subscribers a
 * copy-on-write array, replaced whole.
 * Writers (subscribe, unsubscribe) are rare and serialise on the tree.
 */
public final class TopicTree {

    private static final Subscriber[] NONE = new Subscriber[0];

    private static final class Node {
        /**
         * Null until the node has a child: most nodes are leaves (a device's own topic), and an
         * empty map is 64 bytes per subscription. Made and emptied by writers under the tree's
         * lock; readers see null or a map, either of which is a right answer.
         */
        volatile ConcurrentHashMap<String, Node> children;
        volatile Subscriber[] subscribers = NONE;

        /** The child at {@code level} (a String, or {@link Level}'s view for matching), or null. */
        Node child(Object level) {
            ConcurrentHashMap<String, Node> c = children;
            return c == null ? null : c.get(level);
        }

        /** The child at {@code level}, made if absent; writers only, under the tree's lock. */
        Node childOrNew(String level) {
            ConcurrentHashMap<String, Node> c = children;
            if (c == null) {
                c = children = new ConcurrentHashMap<>(4);
            }
            return c.computeIfAbsent(level, k -> new Node());
        }

        boolean hasChildren() {
            ConcurrentHashMap<String, Node> c = children;
            return c != null && !c.isEmpty();
        }
    }

    private final Node root = new Node();
    private int count;
    private int sharedCount;
    /** Told of every change (the cluster's route table); null on a single broker. Guarded by the tree. */
    private Listener listener;

    /** Hears every subscription added to or removed from the tree, under the tree's lock: it must be quick. */
    public interface Listener {
        void added(Subscriber s);

        void removed(Subscriber s);
    }

    /**
     * Sets the tree's one listener and tells it of every subscription already held (those restored
     * from the store), under the tree's lock, so that none is missed or told twice.
     */
    public synchronized void listen(Listener l) {
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            for (Subscriber s : n.subscribers) {
                l.added(s);
            }
            if (n.children != null) {
                n.children.values().forEach(todo::push);
            }
        }
        listener = l;
    }

    /** Adds a subscription, or replaces the client's one on the same filter and group; returns the replaced one. */
    public synchronized Subscriber subscribe(Subscriber s) {
        Node node = root;
        String filter = s.filter();
        for (int start = 0; ; ) {
            int end = TopicMatcher.levelEnd(filter, start);
            node = node.childOrNew(filter.substring(start, end));
            if (end == filter.length()) {
                break;
            }
            start = end + 1;
        }
        Subscriber[] current = node.subscribers;
        for (int i = 0; i < current.length; i++) {
            if (current[i].sameSlot(s.clientId(), s.shareGroup())) {
                Subscriber[] next = current.clone();
                next[i] = s;
                node.subscribers = next;
                if (listener != null) {
                    listener.removed(current[i]);
                    listener.added(s);
                }
                return current[i];
            }
        }
        Subscriber[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = s;
        node.subscribers = next;
        count++;
        if (s.shareGroup() != null) {
            sharedCount++;
        }
        if (listener != null) {
            listener.added(s);
        }
        return null;
    }

    /** Removes a client's subscription to a filter (and group); returns it, or null if there was none. */
    public synchronized Subscriber unsubscribe(String clientId, String shareGroup, String filter) {
        Node[] path = new Node[countLevels(filter) + 1];
        String[] keys = new String[path.length];
        path[0] = root;
        int depth = 0;
        for (int start = 0; ; ) {
            int end = TopicMatcher.levelEnd(filter, start);
            String key = filter.substring(start, end);
            Node child = path[depth].child(key);
            if (child == null) {
                return null;
            }
            depth++;
            path[depth] = child;
            keys[depth] = key;
            if (end == filter.length()) {
                break;
            }
            start = end + 1;
        }
        Node node = path[depth];
        Subscriber[] current = node.subscribers;
        for (int i = 0; i < current.length; i++) {
            if (current[i].sameSlot(clientId, shareGroup)) {
                Subscriber removed = current[i];
                Subscriber[] next = new Subscriber[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                node.subscribers = next.length == 0 ? NONE : next;
                count--;
                if (shareGroup != null) {
                    sharedCount--;
                }
                prune(path, keys, depth);
                if (listener != null) {
                    listener.removed(removed);
                }
                return removed;
            }
        }
        return null;
    }

    /** Drops nodes left with neither subscribers nor children; a reader still on one just sees it empty. */
    private static void prune(Node[] path, String[] keys, int depth) {
        for (int d = depth; d > 0; d--) {
            Node n = path[d];
            if (n.subscribers.length > 0 || n.hasChildren()) {
                return;
            }
            ConcurrentHashMap<String, Node> siblings = path[d - 1].children;
            siblings.remove(keys[d], n);
            if (siblings.isEmpty()) {
                path[d - 1].children = null; // a leaf again: its map goes with its last child
            }
        }
    }

    private static int countLevels(String filter) {
        int levels = 1;
        for (int i = 0; i < filter.length(); i++) {
            if (filter.charAt(i) == '/') {
                levels++;
            }
        }
        return levels;
    }

    /**
     * Visits every subscription whose filter matches the topic, shared ones included. The walk is
     * a loop over an explicit stack, not a recursion: a topic's depth is the client's choice, and a
     * recursion of a few thousand levels overflowed the thread's stack. The order of visits is the
     * depth-first one a recursion would take: at each level "#", then the "+" branch, then the
     * exact one.
     */
    public void match(String topic, Consumer<Subscriber> visitor) {
        Level level = Level.take(topic);
        try {
            walk(level, TopicMatcher.isDollarTopic(topic), visitor);
        } finally {
            level.giveBack();
        }
    }

    private void walk(Level level, boolean dollarTopic, Consumer<Subscriber> visitor) {
        String topic = level.topic;
        level.push(root, 0);
        while (level.depth > 0) {
            level.depth--;
            Node node = level.nodes[level.depth];
            int start = level.starts[level.depth];
            level.nodes[level.depth] = null; // not to pin a node of the last match
            int end = TopicMatcher.levelEnd(topic, start);
            boolean last = end == topic.length();
            boolean wildcards = start > 0 || !dollarTopic; // none matches a $ topic's first level [MQTT-4.7.2-1]
            Node hash = wildcards ? node.child("#") : null;
            if (hash != null) {
                emit(hash, visitor);
            }
            Node plus = wildcards ? node.child("+") : null;
            Node exact = node.child(level.at(start, end));
            if (last) {
                if (plus != null) {
                    matchedLast(plus, visitor);
                }
                if (exact != null) {
                    matchedLast(exact, visitor);
                }
            } else {
                // Pushed in reverse, so the "+" branch is walked before the exact one.
                if (exact != null) {
                    level.push(exact, end + 1);
                }
                if (plus != null) {
                    level.push(plus, end + 1);
                }
            }
        }
    }

    /** A child matched the topic's last level: its subscribers match, and its "#" child's ("a/#" matches "a"). */
    private static void matchedLast(Node child, Consumer<Subscriber> visitor) {
        emit(child, visitor);
        Node hash = child.child("#");
        if (hash != null) {
            emit(hash, visitor);
        }
    }

    /**
     * One level of the topic being matched, looked up in a node's children without cutting it
     * out as a new String (a substring per level per PUBLISH was a large share of the broker's
     * allocation). ConcurrentHashMap.get(key) finds the mapping whose key k has the same hash and
     * for which {@code key.equals(k)} (its documented contract), so this view hashes as
     * String.hashCode would for the same characters and equals a String with those characters.
     * Only ever used as a lookup argument, never stored.
     */
    private static final class Level {
        /**
         * One per thread, reused from match to match (with its stack): matching runs for every
         * message on every event loop. A visitor that
         * matches again on the same thread while one is in progress gets a fresh Level.
         */
        private static final FastThreadLocal<Level> PER_THREAD = new FastThreadLocal<>() {
            @Override
            protected Level initialValue() {
                return new Level();
            }
        };

        String topic;
        /** The walk's stack: nodes to visit and where their level starts in the topic. */
        Node[] nodes = new Node[16];
        int[] starts = new int[16];
        int depth;
        private boolean inUse;
        private int start;
        private int length;
        private int hash;

        static Level take(String topic) {
            Level level = PER_THREAD.get();
            if (level.inUse) {
                level = new Level();
            }
            level.inUse = true;
            level.topic = topic;
            return level;
        }

        void giveBack() {
            topic = null; // not to pin the last message's topic on an idle loop
            while (depth > 0) {
                nodes[--depth] = null;
            }
            inUse = false;
        }

        void push(Node node, int start) {
            if (depth == nodes.length) {
                nodes = Arrays.copyOf(nodes, depth * 2);
                starts = Arrays.copyOf(starts, depth * 2);
            }
            nodes[depth] = node;
            starts[depth] = start;
            depth++;
        }

        Level at(int start, int end) {
            this.start = start;
            this.length = end - start;
            int h = 0;
            for (int i = start; i < end; i++) {
                h = 31 * h + topic.charAt(i);
            }
            this.hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof String s && s.length() == length && topic.regionMatches(start, s, 0, length);
        }

        @Override
        public String toString() {
            return topic.substring(start, start + length);
        }
    }

    private static void emit(Node node, Consumer<Subscriber> visitor) {
        for (Subscriber s : node.subscribers) {
            visitor.accept(s);
        }
    }

    public synchronized int count() {
        return count;
    }

    public synchronized int sharedCount() {
        return sharedCount;
    }
}
