package io.courtier.broker.routing;

/**
 * Whether a topic filter matches a topic name (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7):
 * '+' matches exactly one level, possibly empty; '#' matches its parent level and everything
 * below; a topic starting with '$' is not matched by a first-level wildcard [MQTT-4.7.2-1].
 * Walks both strings by index: no splitting, no allocation.
 */
public final class TopicMatcher {
    private TopicMatcher() {
    }

    public static boolean matches(String filter, String topic) {
        if (isDollarTopic(topic) && startsWithWildcard(filter)) {
            return false;
        }
        int f = 0;
        int t = 0;
        int fn = filter.length();
        int tn = topic.length();
        while (true) {
            int fEnd = levelEnd(filter, f);
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') {
                return true;
            }
            int tEnd = levelEnd(topic, t);
            boolean plus = fLen == 1 && filter.charAt(f) == '+';
            if (!plus && (fLen != tEnd - t || !filter.regionMatches(f, topic, t, fLen))) {
                return false;
            }
            boolean filterDone = fEnd == fn;
            boolean topicDone = tEnd == tn;
            if (filterDone || topicDone) {
                if (filterDone && topicDone) {
                    return true;
                }
                // "a/#" also matches "a" [MQTT-4.7.1-2].
                return topicDone && fEnd + 2 == fn && filter.charAt(fEnd + 1) == '#';
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    static boolean isDollarTopic(String topic) {
        return !topic.isEmpty() && topic.charAt(0) == '$';
    }

    private static boolean startsWithWildcard(String filter) {
        return !filter.isEmpty() && (filter.charAt(0) == '+' || filter.charAt(0) == '#');
    }

    static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }
}
