package io.courtier.broker.config;

import java.util.function.UnaryOperator;

/**
 * The settings {@code per_listener_settings} moves from global to per listener:
 * {@code allow_anonymous}, {@code password_file}, {@code acl_file},
 * {@code allow_zero_length_clientid}, {@code auto_id_prefix}. The files are checked now so a
 * missing one stops start-up; reading them is the security room's job.
 */
final class SecurityDirectives {

    private SecurityDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        switch (l.name()) {
            case "per_listener_settings" -> {
                boolean on = Values.bool(l);
                if (on && s.firstSecurityDirective != null) {
                    throw l.error("per_listener_settings must be set before any other security settings ("
                            + s.firstSecurityDirective + " comes first).");
                }
                s.perListenerSettings = on;
                s.builder.perListenerSettings = on;
            }
            case "allow_anonymous" -> {
                boolean v = Values.bool(l);
                set(l, s, c -> c.withAllowAnonymous(v));
            }
            case "password_file" -> {
                var p = Values.readableFile(l);
                set(l, s, c -> c.withPasswordFile(p));
            }
            case "acl_file" -> {
                var p = Values.readableFile(l);
                set(l, s, c -> c.withAclFile(p));
            }
            case "allow_zero_length_clientid" -> {
                boolean v = Values.bool(l);
                set(l, s, c -> c.withAllowZeroLengthClientid(v));
            }
            case "auto_id_prefix" -> {
                String v = Values.word(l);
                set(l, s, c -> c.withAutoIdPrefix(v));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies a change to the global settings, or under per_listener_settings to the current
     * listener's (before any listener: the default listener's, without starting it — as Mosquitto).
     */
    static void set(ConfigLine l, ConfigState s, UnaryOperator<SecurityConfig> change) {
        if (s.firstSecurityDirective == null) {
            s.firstSecurityDirective = l.where() + " " + l.name();
        }
        if (!s.perListenerSettings) {
            s.builder.security = change.apply(s.builder.security);
            return;
        }
        ListenerDraft d = s.current != null ? s.current : s.defaultListenerDraft(l);
        if (d.security == null) {
            d.security = SecurityConfig.DEFAULT;
            if (s.current == null) {
                s.defaultSecurityLine = l;
            }
        }
        d.security = change.apply(d.security);
    }
}
