package io.courtier.plugin;

/**
 * A plugin's answer to a check, with Mosquitto's meaning: {@code ALLOW} and {@code DENY} end the
 * check; {@code DEFER} leaves it to the next link of the broker's chain (password file, dynamic
 * security, plugins in configuration order, then backends). When every link defers, the answer
 * is no.
 */
public enum Decision {
    ALLOW,
    DENY,
    DEFER
}
