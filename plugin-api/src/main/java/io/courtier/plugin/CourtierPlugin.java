package io.courtier.plugin;

import java.util.Map;

/**
 * A Courtier plugin: a class in a jar named by a {@code plugin /path/to/plugin.jar} line,
 * found through {@link java.util.ServiceLoader} (the jar lists it in
 * {@code META-INF/services/io.courtier.plugin.CourtierPlugin}), with the
 * {@code plugin_opt_NAME VALUE} lines after it passed to {@link #init}.
 *
 * <p>Every method has a default that defers or does nothing, so a plugin overrides only what it
 * needs. The broker calls the methods from its own worker threads, never from a network event
 * loop, possibly from several threads at once: a plugin must be thread-safe. A call that throws
 * or does not return within {@code plugin_timeout} counts as {@link Decision#DENY} for checks
 * (and is ignored for events), with one log line; it never stops the broker.
 */
public interface CourtierPlugin {

    /**
     * Called once at start-up, before any client connects.
     *
     * @param options the {@code plugin_opt_*} lines, keyed without the {@code plugin_opt_} prefix
     * @throws Exception to stop start-up; the message is shown with the plugin line's FILE:LINE
     */
    default void init(Map<String, String> options) throws Exception {
    }

    /** A CONNECT's credentials; {@code password} is null when the client sent none. */
    default Decision authenticate(ClientInfo client, byte[] password) {
        return Decision.DEFER;
    }

    /** Whether the client may read, write or subscribe to {@code topic} (a filter for SUBSCRIBE). */
    default Decision authorise(ClientInfo client, Access access, String topic) {
        return Decision.DEFER;
    }

    /** A client's CONNECT was accepted. */
    default void connected(ClientInfo client) {
    }

    /** A client's connection ended, for whatever reason. */
    default void disconnected(ClientInfo client) {
    }

    /**
     * A message the broker accepted from a client, after the publish check. {@code payload} is
     * the plugin's own copy.
     */
    default void published(ClientInfo client, String topic, byte[] payload, int qos, boolean retain) {
    }

    /** Called once when the broker stops. */
    default void close() {
    }
}
