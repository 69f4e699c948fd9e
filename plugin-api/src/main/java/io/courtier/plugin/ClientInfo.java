package io.courtier.plugin;

/**
 * The client a check or event is about.
 *
 * @param clientId the MQTT client identifier (assigned by the broker when the client sent none)
 * @param username the CONNECT user name, or null for an anonymous client
 * @param address  the peer's address as {@code host:port}, or null where unknown
 */
public record ClientInfo(String clientId, String username, String address) {
}
