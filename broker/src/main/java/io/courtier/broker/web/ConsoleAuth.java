package io.courtier.broker.web;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.protocol.ProxiedClient;
import io.courtier.broker.security.AuthResult;
import io.courtier.broker.security.Authorizer;
import io.courtier.plugin.Access;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import io.courtier.broker.security.LoginRequest;
import java.net.InetAddress;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Who is calling the console: HTTP Basic credentials (RFC 7617) checked by the listener's own
 * {@code Authenticator}, so the console accepts exactly the users of the password file.
 * <ul>
 * <li>When the listener does not allow anonymous clients, every API call and /metrics needs
 * valid credentials.</li>
 * <li>Reading retained topics and payloads obeys the listener's ACL as an MQTT read by the same
 * user would (anonymous callers: the anonymous rules).</li>
 * <li>Listing and disconnecting clients needs an administrator ({@link #mayAdmin}).</li>
 * </ul>
 * Password hashes are slow on purpose, so checks go through the broker's LoginGate like a
 * CONNECT's: never on an event loop, bounded per address, and a success is remembered for a while
 * (the page polls every few seconds) under a keyed hash, never the password.
 */
final class ConsoleAuth {

    /** The client id the Authenticator sees for console logins (ACL patterns may use it). */
    static final String CONSOLE_CLIENT_ID = "courtier-console";

    /**
     * The caller: the verified user name (null if none), whether credentials were sent at all, and
     * whether they could not be checked because too many logins were waiting.
     */
    record Caller(String user, boolean sentCredentials, boolean busy) {
    }

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
        return broker.config().securityFor(listener).passwordFile() != null;
    }

    boolean mayRead(Caller c) {
        return c.user() != null || !(loginRequired() || c.sentCredentials());
    }

    /**
     * Whether the caller may change state (disconnect clients) and list clients: a verified user of
     * the password file whom {@code console_admin} (or another registered source) names. A broker
     * with no password file that lets anonymous clients in and names no administrator is open to
     * anyone who reaches it (any MQTT client can take over any client id there), and so is its
     * console: bind such a console to 127.0.0.1.
     */
    boolean mayAdmin(Caller c) {
        if (c.user() != null) {
            return hasPasswordFile() && broker.administrators().isAdministrator(c.user());
        }
        return !(loginRequired() || hasPasswordFile() || c.sentCredentials() || broker.hasAdministrators());
    }

    /**
     * Whether the caller may read a retained message on this topic: the ACL's answer for an MQTT
     * client of that user (anonymous: the anonymous rules) subscribing to the topic and receiving
     * from it, with the console's client id for {@code %c} patterns.
     */
    boolean mayReceive(Caller c, String topic) {
        Authorizer acl = broker.listenerSecurity(listener).authorizer();
        if (acl.isAsync()) {
            return knownNow(acl, Access.SUBSCRIBE, c.user(), topic) && knownNow(acl, Access.READ, c.user(), topic);
        }
        return acl.canSubscribe(CONSOLE_CLIENT_ID, c.user(), topic) && acl.canReceive(CONSOLE_CLIENT_ID, c.user(), topic);
    }

    /**
     * With an authorisation backend, the console (on an event loop) shows what the answers known
     * now allow; an unknown one is asked in the background, so a reload of the page shows it.
     */
    private static boolean knownNow(Authorizer acl, Access access, String user, String topic) {
        Boolean now = acl.decideNow(access, CONSOLE_CLIENT_ID, user, topic);
        if (now == null) {
            acl.decide(access, CONSOLE_CLIENT_ID, user, topic);
            return false;
        }
        return now;
    }

    /**
     * Works out the caller, then continues on ctx's loop. The credentials go through the broker's
     * LoginGate, exactly as a CONNECT's do: the same bounds, back-off and remembered logins, and a
     * password hash never runs on an event loop.
     */
    void identify(ChannelHandlerContext ctx, HttpRequest req, Consumer<Caller> then) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            then.accept(new Caller(null, false, false));
            return;
        }
        String[] credentials = basic(header);
        if (credentials == null) {
            then.accept(new Caller(null, true, false));
            return;
        }
        String user = credentials[0];
        InetAddress source = ProxiedClient.inetAddressOf(ctx.channel());
        LoginRequest request = new LoginRequest(listener, source, CONSOLE_CLIENT_ID, user,
                credentials[1].getBytes(StandardCharsets.UTF_8), () -> !ctx.channel().isActive());
        CompletableFuture<AuthResult> answer = broker.logins().check(request,
                broker.listenerSecurity(listener).authenticator());
        if (answer.isDone()) {
            then.accept(caller(user, answer.getNow(AuthResult.NOT_AUTHORIZED)));
            return;
        }
        answer.whenComplete((result, error) -> ctx.executor().execute(() ->
                then.accept(caller(user, error == null ? result : AuthResult.NOT_AUTHORIZED))));
    }

    private static Caller caller(String user, AuthResult result) {
        return new Caller(result == AuthResult.ACCEPTED ? user : null, true, result == AuthResult.SERVER_BUSY);
    }

    /** User name and password of Basic credentials (RFC 7617), or null if the header is not such. */
    private static String[] basic(String header) {
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
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
