package io.courtier.broker.web;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.security.AuthResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who is calling the console: HTTP Basic credentials (RFC 7617) checked by the broker's own
 * {@code Authenticator}, so the console accepts exactly the users of the password file.
 * <ul>
 * <li>When the listener does not allow anonymous clients, every API call and /metrics needs
 * valid credentials.</li>
 * <li>An admin action (disconnecting a client) always needs valid credentials when the broker
 * has a password file; without one, and with anonymous clients allowed, the broker itself is
 * open to anyone who can reach it and so is the console.</li>
 * </ul>
 */
final class ConsoleAuth {

    /** The client id the Authenticator sees for console logins (ACL patterns may use it). */
    static final String CONSOLE_CLIENT_ID = "courtier-console";

    private final BrokerContext broker;
    private final ListenerConfig listener;

    ConsoleAuth(BrokerContext broker, ListenerConfig listener) {
        this.broker = broker;
        this.listener = listener;
    }

    boolean loginRequired() {
        return !broker.config().allowAnonymous(listener);
    }

    private boolean hasPasswordFile() {
        BrokerConfig c = broker.config();
        return c.securityFor(listener).passwordFile() != null;
    }

    /** The verified user name, "" for anonymous access where that is allowed, or null if refused. */
    String reader(HttpRequest req) {
        String user = verifiedUser(req);
        if (user != null) {
            return user;
        }
        return loginRequired() || hasCredentials(req) ? null : "";
    }

    /** Like {@link #reader}, for actions that change the broker's state. */
    String admin(HttpRequest req) {
        String user = verifiedUser(req);
        if (user != null) {
            return user;
        }
        return loginRequired() || hasPasswordFile() || hasCredentials(req) ? null : "";
    }

    private static boolean hasCredentials(HttpRequest req) {
        return req.headers().contains(HttpHeaderNames.AUTHORIZATION);
    }

    /** The user name of valid Basic credentials, else null. */
    private String verifiedUser(HttpRequest req) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        AuthResult r = broker.authenticator().authenticate(CONSOLE_CLIENT_ID, user, password);
        return r == AuthResult.ACCEPTED ? user : null;
    }
}
