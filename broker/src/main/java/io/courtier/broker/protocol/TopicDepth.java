package io.courtier.broker.protocol;

/**
 * Mosquitto's limit on topic depth (TOPIC_HIERARCHY_LIMIT, set after CVE-2019-11779): a topic
 * name or filter with more than 200 '/' (201 levels) is refused. Debian's mosquitto 2.0.11
 * disconnects a client that PUBLISHes to one ("protocol error"), SUBSCRIBEs to one ("Invalid
 * subscription string ..., disconnecting", a malformed packet) or names one as its will. Courtier
 * does the same; its topic tree matches without recursion anyway, so this is a bound on work and
 * memory, not what stands between a client and a stack overflow.
 */
final class TopicDepth {

    /** Separators allowed in one topic: 200, so 201 levels. */
    static final int MAX_SEPARATORS = 200;

    private TopicDepth() {
    }

    static boolean exceeds(String topic) {
        int separators = 0;
        for (int i = topic.indexOf('/'); i >= 0; i = topic.indexOf('/', i + 1)) {
            if (++separators > MAX_SEPARATORS) {
                return true;
            }
        }
        return false;
    }

    static String rule(String what) {
        return what + " has more than " + (MAX_SEPARATORS + 1) + " levels (Mosquitto's limit)";
    }
}
