package io.courtier.broker.config;

import java.util.Set;

/**
 * Who administers the web console and under which names it may be reached (not in Mosquitto,
 * which has no console).
 *
 * @param admins users of the password file who may change state through the console (disconnect
 *               clients, list them); {@code console_admin}, repeatable
 * @param hosts  host names a request's {@code Host} header may carry besides the address the
 *               request came in on (and {@code localhost} on a loopback address); {@code console_host},
 *               repeatable. Anything else is refused, which stops DNS rebinding.
 */
public record ConsoleConfig(Set<String> admins, Set<String> hosts) {

    public static final ConsoleConfig DEFAULT = new ConsoleConfig(Set.of(), Set.of());

    public ConsoleConfig {
        admins = Set.copyOf(admins);
        hosts = Set.copyOf(hosts);
    }

    public ConsoleConfig withAdmin(String user) {
        return new ConsoleConfig(plus(admins, user), hosts);
    }

    public ConsoleConfig withHost(String name) {
        return new ConsoleConfig(admins, plus(hosts, name));
    }

    private static Set<String> plus(Set<String> set, String value) {
        java.util.Set<String> next = new java.util.HashSet<>(set);
        next.add(value);
        return next;
    }
}
