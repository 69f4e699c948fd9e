package io.courtier.broker.session;

/**
 * Who is at the other end of a session's connection, for the console's clients table.
 * {@code protocol} is "3.1", "3.1.1" or "5"; {@code username} is null when anonymous.
 */
public record ConnectionInfo(String address, String protocol, int keepAlive, String username, String transport) {
}
