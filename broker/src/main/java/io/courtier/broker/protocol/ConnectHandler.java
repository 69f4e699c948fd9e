package io.courtier.broker.protocol;

import io.courtier.broker.config.SecurityConfig;
import io.courtier.broker.security.AuthResult;
import io.courtier.broker.security.ListenerSecurity;
import io.courtier.broker.security.LoginRequest;
import io.courtier.broker.security.TlsIdentity;
import io.courtier.broker.session.ClientPresence;
import io.courtier.broker.session.Session;
import io.courtier.codec.Connect;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.ReasonCode;
import io.courtier.codec.Will;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * CONNECT (MQTT 3.1.1 section 3.1, MQTT 5.0 section 3.1): whether the client may connect at all —
 * protocol level, will, keep alive, client identifier rules, MQTT 5 checks, authentication — and
 * what its CONNACK will say; {@link SessionOpener} then gives it its session and sends the CONNACK.
 */
final class ConnectHandler {
    private ConnectHandler() {
    }

    static void handle(MqttConnection c, Connect connect) {
        BrokerContext broker = c.broker;
        MqttVersion v = connect.version();
        c.setEncoderVersion(v);
        boolean v5 = v.isV5();
        if (!broker.config.acceptsProtocolLevel(c.listener, v.level())) {
            // Mosquitto 2.1's answer: 0x01 in the 3.1.1 form to 3.1 and 3.1.1 clients, 0x84 to 5.0 ones.
            Refusals.refuseConnect(c, v5 ? v : MqttVersion.V3_1_1,
                    v5 ? ReasonCode.UNSUPPORTED_PROTOCOL_VERSION : ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION,
                    "protocol level " + v.level() + " is not in this listener's accept_protocol_versions");
            return;
        }
        if (v5) {
            c.v5.readConnect(connect.properties());
        }
        SecurityConfig security = broker.config.securityFor(c.listener);
        if (!willIsAllowed(c, connect, v)) {
            return;
        }
        int maxKeepalive = broker.maxKeepalive(c.listener);
        if (!v5 && connect.keepAlive() > maxKeepalive) {
            // 3.1/3.1.1 cannot be told a shorter keep alive: refused with "identifier rejected",
            // as Mosquitto does since 2.0.12 (CVE-2020-13849; 2.0.11 let them in).
            Refusals.refuseConnect(c, v, ReasonCode.V3_IDENTIFIER_REJECTED,
                    "keep alive " + connect.keepAlive() + " above max_keepalive " + maxKeepalive);
            return;
        }

        String clientId = connect.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !connect.cleanStart()) {
                Refusals.refuseConnect(c, v, ReasonCode.V3_IDENTIFIER_REJECTED,
                        "empty client id with clean session 0 [MQTT-3.1.3-8]");
                return;
            }
            if (!security.allowZeroLengthClientid()) {
                Refusals.refuseConnect(c, v, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ReasonCode.V3_IDENTIFIER_REJECTED,
                        "empty client id and allow_zero_length_clientid is false");
                return;
            }
            // Upper-case hex, as Mosquitto prints its assigned ids (auto-64CEC089-98BC-...).
            clientId = security.autoIdPrefix() + UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
            assigned = true;
        }
        if (v5 && !acceptsV5(c, connect)) {
            return;
        }
        if (!hasAllowedPrefix(broker, clientId)) {
            Refusals.refuseConnect(c, v, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ReasonCode.V3_IDENTIFIER_REJECTED,
                    "client id " + clientId + " does not match clientid_prefixes");
            return;
        }
        if (broker.presence != ClientPresence.NONE && clientId.startsWith(io.courtier.broker.routing.Router.PEER_PREFIX)) {
            Refusals.refuseConnect(c, v, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ReasonCode.V3_IDENTIFIER_REJECTED,
                    "client ids starting with " + io.courtier.broker.routing.Router.PEER_PREFIX
                            + " name cluster nodes");
            return;
        }
        c.clientId = clientId;
        authenticate(c, connect, clientId, assigned);
    }

    /**
     * Who the client is: the name in its certificate where the listener says so (the password
     * file is then not used, mosquitto.conf(5)), else its CONNECT's user name and password,
     * checked through the broker's LoginGate: a slow password hash runs off the event loop, and
     * packets pipelined after CONNECT wait for the answer.
     */
    private static void authenticate(MqttConnection c, Connect connect, String clientId, boolean assigned) {
        ListenerSecurity security = c.broker.security(c.listener);
        if (c.listener.proxy().useIdentityAsUsername()) {
            // TLS ended at the proxy: the name is the certificate's CN it sent in PROXY v2.
            ProxiedClient proxied = c.proxied();
            String name = proxied == null ? null : proxied.certificateCommonName();
            if (name == null) {
                refuse(c, connect, AuthResult.NOT_AUTHORIZED, "the proxy sent no client certificate name");
                return;
            }
            accepted(c, connect, clientId, assigned, name);
            return;
        }
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
        LoginRequest request = new LoginRequest(c.listener, ProxiedClient.inetAddressOf(c.ctx.channel()), clientId,
                connect.username(), connect.password(), () -> !c.ctx.channel().isActive());
        CompletableFuture<AuthResult> answer = c.broker.security.logins().check(request, security.authenticator());
        if (answer.isDone()) {
            authenticated(c, connect, clientId, assigned, answer.join());
            return;
        }
        c.state = MqttConnection.State.CONNECTING; // hold pipelined packets until the answer
        EventLoop loop = c.ctx.channel().eventLoop();
        c.ctx.channel().closeFuture().addListener(f -> answer.cancel(false)); // closed: drop the check
        answer.thenAccept(result -> loop.execute(() -> {
            if (c.state == MqttConnection.State.CONNECTING) { // else the socket closed meanwhile
                authenticated(c, connect, clientId, assigned, result);
            }
        }));
    }

    private static void authenticated(MqttConnection c, Connect connect, String clientId, boolean assigned,
                                      AuthResult auth) {
        if (auth == AuthResult.SERVER_BUSY) {
            Refusals.refuseBusy(c, connect.version(), "too many logins waiting to be checked (server busy)");
            return;
        }
        if (auth != AuthResult.ACCEPTED) {
            refuse(c, connect, auth, connect.username() == null ? "anonymous clients are not allowed"
                    : "bad user name or password for " + connect.username());
            return;
        }
        io.courtier.broker.security.chain.AuthChain chain = c.chain();
        if (chain != null) {
            // Credentials that expire (a JWT): the client is disconnected then.
            c.expireCredentialsAt(chain.validUntilMillis(clientId));
        }
        accepted(c, connect, clientId, assigned, connect.username());
    }

    /** Mosquitto logs "Client <unknown> disconnected, not authorised." and answers 0x05 / 0x87. */
    private static void refuse(MqttConnection c, Connect connect, AuthResult auth, String why) {
        boolean v5 = connect.version().isV5();
        boolean bad = auth == AuthResult.BAD_USERNAME_OR_PASSWORD;
        int code = v5 ? (bad ? ReasonCode.BAD_USER_NAME_OR_PASSWORD : ReasonCode.NOT_AUTHORIZED)
                : (bad ? ReasonCode.V3_BAD_USERNAME_OR_PASSWORD : ReasonCode.V3_NOT_AUTHORIZED);
        Refusals.refuseUnauthorised(c, connect.version(), code, why);
    }

    private static void accepted(MqttConnection c, Connect connect, String clientId, boolean assigned,
                                 String username) {
        BrokerContext broker = c.broker;
        boolean v5 = connect.version().isV5();
        c.username = username;
        c.bridge = connect.bridge();
        c.will = c.mountPoint == null ? connect.will() : c.mountPoint.inbound(connect.will());
        c.keepAlive = connect.keepAlive();
        long expiry;
        Properties connackProperties = Properties.NONE;
        if (!roomForSession(c, connect, clientId)) {
            return;
        }
        if (v5) {
            c.v5.inboundAliasMaximum = broker.topicAliasMaximum(c.listener);
            // Aliases towards the client: as many as it takes, up to max_topic_alias_broker.
            c.v5.topicAliasMaximum = Math.min(c.v5.topicAliasMaximum, c.listener.maxTopicAliasBroker());
            c.useOutboundTopicAliases(c.v5.topicAliasMaximum);
            expiry = c.v5.connectSessionExpiry;
            connackProperties = connackProperties(c, assigned ? clientId : null);
        } else {
            // 3.1/3.1.1: clean session 0 lives until persistent_client_expiration, if set, else for ever.
            long pce = broker.config.persistentClientExpiration();
            expiry = connect.cleanStart() ? 0 : pce > 0 ? Math.min(pce, Session.NEVER) : Session.NEVER;
        }
        c.state = MqttConnection.State.CONNECTING;
        SessionOpener.open(c, clientId, connect.cleanStart(), expiry, connackProperties);
    }

    /**
     * Mosquitto 2.1's global_max_clients: no new session once the broker holds that many (connected
     * or kept for offline clients). A client that already has a session may always come back.
     * MQTT 5 gets CONNACK 0x89 "Server busy", as from Mosquitto; 3.1/3.1.1 gets 0x03 "Server
     * unavailable" where Mosquitto closes without an answer, so the client can tell why.
     */
    private static boolean roomForSession(MqttConnection c, Connect connect, String clientId) {
        int max = c.broker.config.globalMaxClients();
        if (max <= 0 || c.broker.sessions.get(clientId) != null || c.broker.sessions.size() < max) {
            return true;
        }
        boolean v5 = connect.version().isV5();
        Refusals.refuseConnect(c, connect.version(), v5 ? ReasonCode.SERVER_BUSY : ReasonCode.V3_SERVER_UNAVAILABLE,
                "global_max_clients (" + max + ") reached");
        return false;
    }

    /**
     * MQTT 5 checks a CONNECT must pass before authentication: no extended authentication method
     * is supported [MQTT-4.12.0-1], and the will must fit the broker's Maximum QoS and Retain
     * Available [MQTT-3.2.2-12] [MQTT-3.2.2-13]. Returns false after refusing.
     */
    static boolean acceptsV5(MqttConnection c, Connect connect) {
        BrokerContext broker = c.broker;
        String method = connect.properties().string(PropertyId.AUTHENTICATION_METHOD);
        if (method != null) {
            Refusals.refuseConnect(c, connect.version(), ReasonCode.BAD_AUTHENTICATION_METHOD,
                    "authentication method " + method + " is not supported");
            return false;
        }
        Will w = connect.will();
        if (w != null && w.qos() > c.maxQos()) {
            Refusals.refuseConnect(c, connect.version(), ReasonCode.QOS_NOT_SUPPORTED,
                    "will QoS " + w.qos() + " above the maximum QoS " + c.maxQos());
            return false;
        }
        if (w != null && w.retain() && !broker.config.retainAvailable()) {
            Refusals.refuseConnect(c, connect.version(), ReasonCode.RETAIN_NOT_SUPPORTED, "retained will but retain is not available");
            return false;
        }
        return true;
    }

    /**
     * What CONNACK tells an MQTT 5 client, in the order Mosquitto 2.0 writes it (clients and tests
     * that compare bytes see the same packet): Topic Alias Maximum, Server Keep Alive, the
     * identifier we assigned, then the capabilities the configuration turns off (absent means
     * available), Maximum Packet Size, Receive Maximum and Maximum QoS.
     */
    private static Properties connackProperties(MqttConnection c, String assignedId) {
        BrokerContext broker = c.broker;
        Properties.Builder b = Properties.builder();
        int topicAliasMaximum = broker.topicAliasMaximum(c.listener);
        if (topicAliasMaximum > 0) {
            b.add(PropertyId.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum);
        }
        int maxKeepalive = broker.maxKeepalive(c.listener);
        if (c.keepAlive > maxKeepalive || c.keepAlive == 0) {
            // The client must use the Server Keep Alive instead of its own [MQTT-3.2.2-21]. As in
            // Mosquitto, a client asking for none (0) is given max_keepalive, 65,535 by default.
            c.keepAlive = maxKeepalive;
            b.add(PropertyId.SERVER_KEEP_ALIVE, maxKeepalive);
        }
        if (assignedId != null) {
            b.add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, assignedId);
        }
        if (!broker.config.retainAvailable()) {
            b.add(PropertyId.RETAIN_AVAILABLE, 0);
        }
        if (broker.config.maxPacketSize() > 0) {
            b.add(PropertyId.MAXIMUM_PACKET_SIZE, (long) broker.config.maxPacketSize());
        }
        if (broker.receiveMaximum() < 65_535) {
            b.add(PropertyId.RECEIVE_MAXIMUM, broker.receiveMaximum());
        }
        int maxQos = c.maxQos();
        if (maxQos < 2) {
            b.add(PropertyId.MAXIMUM_QOS, maxQos);
        }
        return b.build();
    }

    /**
     * MQTT 3.1/3.1.1: a will the broker could not honour (above max_qos, or retained while
     * retain_available is false) closes the connection, as Mosquitto does, since these versions
     * have no CONNACK code for it; it is not silently downgraded. MQTT 5 answers with CONNACK
     * 0x9B/0x9A in {@link #acceptsV5}.
     */
    private static boolean willIsAllowed(MqttConnection c, Connect connect, MqttVersion v) {
        Will will = connect.will();
        if (will != null && TopicDepth.exceeds(will.topic())) {
            if (v.isV5()) {
                Refusals.refuseConnect(c, v, ReasonCode.TOPIC_NAME_INVALID, TopicDepth.rule("will topic"));
            } else {
                c.violation(TopicDepth.rule("will topic"), ReasonCode.PROTOCOL_ERROR);
            }
            return false;
        }
        if (will == null || v.isV5()) {
            return true;
        }
        int maxQos = c.maxQos();
        if (will.qos() > maxQos) {
            c.violation("will QoS " + will.qos() + " above max_qos " + maxQos, ReasonCode.QOS_NOT_SUPPORTED);
            return false;
        }
        if (will.retain() && !c.broker.config.retainAvailable()) {
            c.violation("retained will while retain_available is false", ReasonCode.RETAIN_NOT_SUPPORTED);
            return false;
        }
        return true;
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
}
