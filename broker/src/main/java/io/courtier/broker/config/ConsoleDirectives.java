package io.courtier.broker.config;

import java.util.Locale;

/**
 * The web console's own directives (Courtier's; Mosquitto has no console):
 * {@code console_admin USER} and {@code console_host NAME}, each repeatable, each global.
 */
final class ConsoleDirectives {

    private ConsoleDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        BrokerConfig.Builder b = s.builder;
        switch (l.name()) {
            case "console_admin" -> b.console = b.console.withAdmin(Values.word(l));
            case "console_host" -> {
                String name = Values.word(l).toLowerCase(Locale.ROOT);
                if (name.contains(":") && !name.startsWith("[")) {
                    throw l.error("console_host takes a host name or address without a port (IPv6 in brackets): "
                            + name + ".");
                }
                b.console = b.console.withHost(name);
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
