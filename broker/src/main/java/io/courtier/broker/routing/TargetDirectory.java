package io.courtier.broker.routing;

/** Finds the local delivery target of a subscription's client id (the session registry). */
@FunctionalInterface
public interface TargetDirectory {

    /** The target for a client id, or null when there is none (the session ended meanwhile). */
    DeliveryTarget target(String clientId);
}
