package io.courtier.broker.protocol;

import io.courtier.codec.Publish;
import io.courtier.codec.Topics;
import io.courtier.codec.Will;

/**
 * A listener's {@code mount_point} (mosquitto.conf(5)): a prefix added to every topic its
 * clients publish to (wills included) and every filter they subscribe or unsubscribe with, and
 * removed from the topics of the messages sent to them, so each listener's clients live in
 * their own part of the topic tree. A shared subscription keeps its {@code $share/GROUP/} in
 * front and mounts the filter after it. The ACL sees the mounted topics.
 *
 * <p>Mosquitto 2.0.11 forgets to remove the prefix from outgoing messages (its issue #2244,
 * fixed in later 2.0 releases); Courtier removes it, as the manual says and Mosquitto 1.6 did.
 */
final class MountPoint {

    private final String prefix;

    private MountPoint(String prefix) {
        this.prefix = prefix;
    }

    /** The listener's mount point, or null when it has none (the common case costs nothing). */
    static MountPoint of(String prefix) {
        return prefix == null || prefix.isEmpty() ? null : new MountPoint(prefix);
    }

    Publish inbound(Publish p) {
        return p.withTopic(prefix + p.topic());
    }

    Will inbound(Will w) {
        return w == null ? null : new Will(prefix + w.topic(), w.payload(), w.qos(), w.retain(), w.properties());
    }

    String filter(String filter) {
        String group = Topics.shareGroup(filter);
        return group == null ? prefix + filter
                : Topics.SHARE_PREFIX + group + "/" + prefix + Topics.shareFilter(filter);
    }

    /** A message on its way to a client of this listener: the prefix comes off. */
    Publish outbound(Publish p) {
        return p.topic().startsWith(prefix) ? p.withTopic(p.topic().substring(prefix.length())) : p;
    }
}
