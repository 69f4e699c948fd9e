package io.courtier.broker.security;

import java.net.InetAddress;
import java.util.function.BooleanSupplier;

/**
 * One login to check: an MQTT CONNECT or a console request's Basic credentials.
 *
 * @param listener  what the pending-checks bound is counted per (the listener's configuration)
 * @param source    the peer's address: pending checks and failure back-off are counted per address
 * @param clientId  the client id the authenticator sees ({@code courtier-console} for the console)
 * @param username  null for an anonymous login
 * @param password  the CONNECT's password bytes, or null
 * @param abandoned true once nobody waits for the answer any more (the socket closed): the check is
 *                  then dropped instead of hashed
 */
public record LoginRequest(Object listener, InetAddress source, String clientId, String username, byte[] password,
                           BooleanSupplier abandoned) {
}
