package io.courtier.cli.client;

/** Whether a topic name matches a filter (MQTT 3.1.1 section 4.7), for {@code -T}. */
final class TopicMatch {
    private TopicMatch() {
    }

    static boolean matches(String filter, String topic) {
        // Wildcards at the first level do not match topics starting with '$' [MQTT-4.7.2-1].
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // matches the parent level too [MQTT-4.7.1-2]
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
