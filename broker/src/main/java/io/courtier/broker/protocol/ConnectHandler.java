package io.courtier.broker.protocol;

import io.courtier.broker.config.SecurityConfig;
import io.courtier.broker.security.AuthResult;
import io.courtier.broker.security.Authenticator;
import io.courtier.broker.security.ListenerSecurity;
import io.courtier.broker.security.TlsIdentity;
import io.courtier.broker.session.ClientLink;
import io.courtier.broker.session.Session;
import io.courtier.codec.Connack;
import io.courtier.codec.Connect;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.util.UUID;

/**
 * CONNECT (MQTT 3.1.1 section 3.1): client identifier rules, authentication, then the session —
 * a new one, the client's persistent one, or one taken over from a connection still open with
 * the same client id [MQTT-3.1.4-2] — and CONNACK.
 */
final class ConnectHandler {
    private ConnectHandler() {
    }

    static void handle(MqttConnection c, Connect connect) {
        BrokerContext broker = c.broker;
        MqttVersion v = connect.version();
        c.setEncoderVersion(v);
        boolean v5 = v.isV5();
        SecurityConfig security = broker.config.securityFor(c.listener);

        String clientId = connect.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !connect.cleanStart()) {
                c.refuseConnect(v, ReasonCode.V3_IDENTIFIER_REJECTED,
                        "empty client id with clean session 0 [MQTT-3.1.3-8]");
                return;
            }
            if (!security.allowZeroLengthClientid()) {
                c.refuseConnect(v, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ReasonCode.V3_IDENTIFIER_REJECTED,
                        "empty client id and allow_zero_length_clientid is false");
                return;
            }
            clientId = security.autoIdPrefix() + UUID.randomUUID();
            assigned = true;
        }
        if (!hasAllowedPrefix(broker, clientId)) {
            c.refuseConnect(v, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ReasonCode.V3_IDENTIFIER_REJECTED,
                    "client id " + clientId + " does not match clientid_prefixes");
            return;
        }
        c.clientId = clientId;
        authenticate(c, connect, clientId, assigned);
    }

    /**
     * Who the client is: the name in its certificate where the listener says so (the password
     * file is then not used, mosquitto.conf(5)), else its CONNECT's user name and password. A
     * slow password hash is checked off the event loop; packets pipelined after CONNECT wait.
     */
    private static void authenticate(MqttConnection c, Connect connect, String clientId, boolean assigned) {
        ListenerSecurity security = c.broker.security(c.listener);
        if (security.usernameFromCertificate()) {
            SslHandler ssl = c.ctx.pipeline().get(SslHandler.class);
            String name = security.usernameFrom(
                    TlsIdentity.peerCertificate(ssl == null ? null : ssl.engine().getSession()));
            if (name == null) {
                refuse(c, connect, AuthResult.NOT_AUTHORIZED, "no client certificate to take the user name from");
                return;
            }
            accepted(c, connect, clientId, assigned, name);
            return;
        }
        Authenticator authenticator = security.authenticator();
        String username = connect.username();
        if (!authenticator.isSlow(username)) {
            authenticated(c, connect, clientId, assigned,
                    authenticator.authenticate(clientId, username, connect.password()));
            return;
        }
        c.state = MqttConnection.State.CONNECTING; // hold pipelined packets until the answer
        EventLoop loop = c.ctx.channel().eventLoop();
        c.broker.security.slowChecks().execute(() -> {
            AuthResult result = authenticator.authenticate(clientId, username, connect.password());
            loop.execute(() -> {
                if (c.state == MqttConnection.State.CONNECTING) { // else the socket closed meanwhile
                    authenticated(c, connect, clientId, assigned, result);
                }
            });
        });
    }

    private static void authenticated(MqttConnection c, Connect connect, String clientId, boolean assigned,
                                      AuthResult auth) {
        if (auth != AuthResult.ACCEPTED) {
            refuse(c, connect, auth, connect.username() == null ? "anonymous clients are not allowed"
                    : "bad user name or password for " + connect.username());
            return;
        }
        accepted(c, connect, clientId, assigned, connect.username());
    }

    /** Mosquitto logs "Client <unknown> disconnected, not authorised." and answers 0x05 / 0x87. */
    private static void refuse(MqttConnection c, Connect connect, AuthResult auth, String why) {
        boolean v5 = connect.version().isV5();
        boolean bad = auth == AuthResult.BAD_USERNAME_OR_PASSWORD;
        int code = v5 ? (bad ? ReasonCode.BAD_USER_NAME_OR_PASSWORD : ReasonCode.NOT_AUTHORIZED)
                : (bad ? ReasonCode.V3_BAD_USERNAME_OR_PASSWORD : ReasonCode.V3_NOT_AUTHORIZED);
        c.refuseConnect(connect.version(), code, why);
    }

    private static void accepted(MqttConnection c, Connect connect, String clientId, boolean assigned,
                                 String username) {
        boolean v5 = connect.version().isV5();
        c.username = username;
        c.will = connect.will();
        c.keepAlive = connect.keepAlive();
        c.state = MqttConnection.State.CONNECTING;
        // A v5 session outlives its connection only with a session expiry interval (MQTT 5.0 3.1.2.11.2).
        Long expiry = connect.properties().fourByte(PropertyId.SESSION_EXPIRY_INTERVAL);
        boolean endsWithConnection = v5 ? expiry == null || expiry == 0 : connect.cleanStart();
        Properties connackProperties = assigned && v5
                ? Properties.builder().add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, clientId).build() : Properties.NONE;
        openSession(c, clientId, connect.cleanStart(), endsWithConnection, connackProperties);
    }

    /** What the client may receive, checked on each delivery against the ACL in force then. */
    private static java.util.function.Predicate<String> readPermission(MqttConnection c) {
        ListenerSecurity security = c.broker.security(c.listener);
        String clientId = c.clientId;
        String username = c.username;
        return topic -> security.authorizer().canReceive(clientId, username, topic);
    }

    private static boolean hasAllowedPrefix(BrokerContext broker, String clientId) {
        if (broker.config.clientidPrefixes().isEmpty()) {
            return true;
        }
        for (String prefix : broker.config.clientidPrefixes()) {
            if (clientId.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void openSession(MqttConnection c, String clientId, boolean cleanStart, boolean endsWithConnection,
                                    Properties connackProperties) {
        BrokerContext broker = c.broker;
        EventLoop loop = c.ctx.channel().eventLoop();
        Session existing = broker.sessions.get(clientId);
        if (existing == null) {
            Session fresh = new Session(clientId, endsWithConnection, broker.limits, broker.stats, loop);
            if (!broker.sessions.putIfAbsent(fresh)) {
                openSession(c, clientId, cleanStart, endsWithConnection, connackProperties); // lost a race
                return;
            }
            attach(c, fresh, false, connackProperties);
            return;
        }
        existing.execute(() -> {
            ClientLink old = existing.link();
            if (old != null) {
                existing.detach(old);
                old.takeOver();
            }
            if (cleanStart || existing.cleanSession()) {
                broker.sessions.remove(existing);
                SessionCleanup.removeSubscriptions(broker, existing);
                existing.discard();
                Session fresh = new Session(clientId, endsWithConnection, broker.limits, broker.stats, loop);
                broker.sessions.put(fresh);
                loop.execute(() -> attach(c, fresh, false, connackProperties));
            } else {
                existing.moveTo(loop);
                loop.execute(() -> attach(c, existing, true, connackProperties));
            }
        });
    }

    /** On the connection's loop: CONNACK, then resend what the session held, then pipelined packets. */
    private static void attach(MqttConnection c, Session session, boolean present, Properties connackProperties) {
        BrokerContext broker = c.broker;
        if (c.state != MqttConnection.State.CONNECTING) {
            // The socket closed while we were setting up.
            if (session.cleanSession() && broker.sessions.remove(session)) {
                SessionCleanup.removeSubscriptions(broker, session);
                session.discard();
            }
            return;
        }
        c.session = session;
        session.setReadPermission(readPermission(c));
        broker.sessions.clientConnected();
        broker.stats.connections.increment();
        c.send(new Connack(present, ReasonCode.SUCCESS, connackProperties));
        if (broker.config.connectionMessages()) {
            MqttConnection.LOG.info("New client connected from {} as {} (p{}, c{}, k{}{}).", c.address(), c.clientId,
                    c.version == MqttVersion.V3_1 ? 1 : c.version == MqttVersion.V3_1_1 ? 2 : 5,
                    session.cleanSession() ? 1 : 0, c.keepAlive,
                    c.username == null ? "" : ", u'" + c.username + "'");
        }
        session.resume(c);
        c.connected();
    }
}
