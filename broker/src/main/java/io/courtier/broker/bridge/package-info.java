/**
 * Mosquitto-style bridges: each {@code connection} block is a local {@code Session} (subscribed to
 * the out/both topics) whose client link is a connection to the remote broker made with the
 * project's own MQTT client, and a source of messages accepted into this broker (in/both topics).
 * Queueing while the remote is away, in-flight windows, resends and durability are the session's.
 */
package io.courtier.broker.bridge;
