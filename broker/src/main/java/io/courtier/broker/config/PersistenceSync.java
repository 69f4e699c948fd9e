package io.courtier.broker.config;

/** {@code persistence_sync}: sync every acknowledged write, or flush on an interval like Mosquitto's autosave. */
public enum PersistenceSync {
    ALWAYS, INTERVAL
}
