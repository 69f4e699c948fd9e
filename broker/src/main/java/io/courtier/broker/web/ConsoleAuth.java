package io.courtier.broker.web;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.security.AuthResult;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who is calling the console: HTTP Basic credentials (RFC 7617) checked by the listener's own
 * {@code Authenticator}, so the console accepts exactly the users of the password file.
 * <ul>
 * <li>When the listener does not allow anonymous clients, every API call and /metrics needs
 * valid credentials.</li>
 * <li>An admin action (disconnecting a client) always needs valid credentials when the broker
 * has a password file; without one, and with anonymous clients allowed, the broker itself is
 * open to anyone who can reach it and so is the console.</li>
 * </ul>
 * Password hashes are slow on purpose, so checks run on the broker's slow-check threads, never
 * on an event loop, and a success is remembered for a minute (the page polls every few
 * seconds); the memory holds a SHA-256 of the header, not the password.
 */
final class ConsoleAuth {

    /** The client id the Authenticator sees for console logins (ACL patterns may use it). */
    static final String CONSOLE_CLIENT_ID = "courtier-console";
    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_REMEMBERED = 1000;

    /** The caller: the verified user name (null if none) and whether credentials were sent at all. */
    record Caller(String user, boolean sentCredentials) {
    }

    private final BrokerContext broker;
    private final ListenerConfig listener;
    private final ConcurrentHashMap<String, Remembered> verified = new ConcurrentHashMap<>();

    private record Remembered(String user, long untilNanos) {
    }

    ConsoleAuth(BrokerContext broker, ListenerConfig listener) {
        this.broker = broker;
        this.listener = listener;
    }

    boolean loginRequired() {
        return !broker.config().allowAnonymous(listener);
    }

    private boolean hasPasswordFile() {
        return broker.config().securityFor(listener).passwordFile() != null;
    }

    boolean mayRead(Caller c) {
        return c.user() != null || !(loginRequired() || c.sentCredentials());
    }

    boolean mayAdmin(Caller c) {
        return c.user() != null || !(loginRequired() || hasPasswordFile() || c.sentCredentials());
    }

    /** Works out the caller, off the event loop if a password must be checked, then continues on ctx's loop. */
    void identify(ChannelHandlerContext ctx, HttpRequest req, Consumer<Caller> then) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            then.accept(new Caller(null, false));
            return;
        }
        String key = digest(header);
        Remembered r = verified.get(key);
        if (r != null && r.untilNanos() - System.nanoTime() > 0) {
            then.accept(new Caller(r.user(), true));
            return;
        }
        try {
            broker.slowChecks().execute(() -> {
                String user = check(header);
                if (user != null) {
                    if (verified.size() >= MAX_REMEMBERED) {
                        verified.clear();
                    }
                    verified.put(key, new Remembered(user, System.nanoTime() + REMEMBER_NANOS));
                }
                ctx.executor().execute(() -> then.accept(new Caller(user, true)));
            });
        } catch (RejectedExecutionException e) {
            then.accept(new Caller(null, true)); // the broker is stopping
        }
    }

    /** The user name of valid Basic credentials, else null. */
    private String check(String header) {
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
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
        AuthResult result = broker.listenerSecurity(listener).authenticator()
                .authenticate(CONSOLE_CLIENT_ID, user, password);
        return result == AuthResult.ACCEPTED ? user : null;
    }

    private static String digest(String header) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(header.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
