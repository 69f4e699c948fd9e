package io.courtier.broker.security.dynsec;

import java.util.Comparator;

/** One rule of a role: a kind, a topic filter, a priority (higher is checked first) and allow/deny. */
record Acl(AclType type, String topic, int priority, boolean allow) {

    /** Mosquitto's listing order: by kind, then higher priority first, then as added. */
    static final Comparator<Acl> ORDER = Comparator.comparing(Acl::type)
            .thenComparing(Comparator.comparingInt(Acl::priority).reversed());
}
