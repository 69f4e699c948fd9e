package io.courtier.codec;

/**
 * Topic name and topic filter syntax (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7 and 4.8.2).
 * Levels are separated by '/', and empty levels are real levels.
 */
public final class Topics {

    public static final String SHARE_PREFIX = "$share/";

    /** Longest UTF-8 string the wire can carry. */
    private static final int MAX_BYTES = 65535;

    private Topics() {
    }

    /** A PUBLISH topic: non-empty, no wildcards [MQTT-3.3.2-2], no U+0000, fits a UTF-8 string. */
    public static boolean isValidTopicName(String topic) {
        if (topic.isEmpty() || !Utf8.isValid(topic) || Utf8.encodedLength(topic) > MAX_BYTES) {
            return false;
        }
        for (int i = 0, n = topic.length(); i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return false;
            }
        }
        return true;
    }

    /**
     * A SUBSCRIBE/UNSUBSCRIBE filter: non-empty; '#' only as the whole last level
     * [MQTT-4.7.1-2]; '+' only as a whole level [MQTT-4.7.1-3]. A shared filter
     * {@code $share/GROUP/FILTER} needs a GROUP without '/', '+' or '#' and a valid FILTER
     * (MQTT 5.0 section 4.8.2).
     */
    public static boolean isValidTopicFilter(String filter) {
        if (filter.isEmpty() || !Utf8.isValid(filter) || Utf8.encodedLength(filter) > MAX_BYTES) {
            return false;
        }
        if (isShared(filter)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash <= SHARE_PREFIX.length()) {
                return false; // no group, or no '/' after it
            }
            for (int i = SHARE_PREFIX.length(); i < slash; i++) {
                char c = filter.charAt(i);
                if (c == '+' || c == '#') {
                    return false;
                }
            }
            String rest = filter.substring(slash + 1);
            return !rest.isEmpty() && hasValidWildcards(rest);
        }
        return hasValidWildcards(filter);
    }

    /**
     * Whether every '+' and '#' stands as a whole level and '#' only last [MQTT-4.7.1-2]
     * [MQTT-4.7.1-3]; nothing else is checked (the ACL file reuses this for its filters).
     */
    public static boolean hasValidWildcards(String filter) {
        int n = filter.length();
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            if (c == '#' || c == '+') {
                boolean startsLevel = i == 0 || filter.charAt(i - 1) == '/';
                boolean endsLevel = i == n - 1 || filter.charAt(i + 1) == '/';
                if (!startsLevel || !endsLevel) {
                    return false;
                }
                if (c == '#' && i != n - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a filter is a shared subscription ({@code $share/GROUP/FILTER}). */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /** The GROUP of a shared filter, or null if the filter is not shared. */
    public static String shareGroup(String filter) {
        if (!isShared(filter)) {
            return null;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        return slash < 0 ? null : filter.substring(SHARE_PREFIX.length(), slash);
    }

    /** The FILTER part of a shared filter, or the filter itself when not shared. */
    public static String shareFilter(String filter) {
        if (!isShared(filter)) {
            return filter;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        return slash < 0 ? filter : filter.substring(slash + 1);
    }

    /** Whether a filter contains '+' or '#'. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }
}
