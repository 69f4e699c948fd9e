package io.courtier.broker.security;

import java.util.Set;

/**
 * Who may change the broker's state through the console (disconnect clients, list them). The
 * broker asks {@link SecurityRules#administrators()}, which combines the {@code console_admin}
 * names with any source registered through {@link SecurityRules#addAdministrators} (for example a
 * dynamic security plugin's admin role).
 */
@FunctionalInterface
public interface Administrators {

    Administrators NONE = username -> false;

    /** Whether this verified user (never null) is an administrator. */
    boolean isAdministrator(String username);

    static Administrators named(Set<String> names) {
        Set<String> copy = Set.copyOf(names);
        return copy.isEmpty() ? NONE : copy::contains;
    }
}
