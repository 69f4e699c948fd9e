package io.courtier.broker.web;

import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.model.RetainedMessage;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.session.ClientLink;
import io.courtier.broker.session.ConnectionInfo;
import io.courtier.broker.session.Session;
import io.courtier.broker.sys.BrokerStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The console's JSON API. Session state belongs to each session's event loop (DESIGN.md), so
 * the clients list asks every session for a snapshot on its own loop and answers when all have
 * replied; nothing here locks or reads another loop's fields directly.
 * <pre>
 * GET  /api/info                          version, uptime, whether a login is needed, the MQTT path
 * GET  /api/overview                      counters and gauges ($SYS-like) as one object
 * GET  /api/clients?q=TEXT                admin: sessions (at most 1000), client id containing TEXT
 * POST /api/clients/disconnect?id=ID      admin: disconnect a client
 * GET  /api/retained                      retained topics the caller's ACL lets it read, with sizes (at most 10000)
 * GET  /api/retained/message?topic=T      one retained message the ACL lets the caller read, as text when it is
 *                                         UTF-8, and base64
 * POST /api/dynsec                        dynamic security: the body is a $CONTROL/dynamic-security/v1
 *                                         request, the answer its response (for a user its roles let
 *                                         publish there, as over MQTT)
 * </pre>
 */
final class ConsoleApi {

    static final int MAX_CLIENTS = 1000;
    static final int MAX_TOPICS = 10_000;
    private static final int MAX_FILTERS_LISTED = 50;
    private static final String ADMINS_ONLY = "only console administrators (console_admin) may do this";

    private final BrokerContext broker;
    private final String version;
    private final long startNanos;
    private final String mqttPath;
    private final io.courtier.broker.cluster.Cluster cluster;

    ConsoleApi(BrokerContext broker, String version, long startNanos, String mqttPath,
               io.courtier.broker.cluster.Cluster cluster) {
        this.cluster = cluster;
        this.broker = broker;
        this.version = version;
        this.startNanos = startNanos;
        this.mqttPath = mqttPath;
    }

    /** Routes one API request; the caller has checked read access. */
    void handle(ChannelHandlerContext ctx, HttpRequest req, QueryStringDecoder uri, ConsoleAuth auth,
                ConsoleAuth.Caller caller) {
        String path = uri.path();
        boolean get = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
        switch (path) {
            case "/api/info" -> requireGet(ctx, req, get, () -> info(ctx, req, auth, caller));
            case "/api/overview" -> requireGet(ctx, req, get, () -> overview(ctx, req));
            case "/api/clients" -> requireGet(ctx, req, get, () -> {
                if (auth.mayAdmin(caller)) {
                    clients(ctx, req, param(uri, "q"));
                } else {
                    HttpReplies.error(ctx, req, HttpResponseStatus.FORBIDDEN, ADMINS_ONLY);
                }
            });
            case "/api/bridges" -> requireGet(ctx, req, get, () -> {
                if (auth.mayAdmin(caller)) {
                    bridges(ctx, req);
                } else {
                    HttpReplies.error(ctx, req, HttpResponseStatus.FORBIDDEN, ADMINS_ONLY);
                }
            });
            case "/api/retained" -> requireGet(ctx, req, get, () -> retained(ctx, req, topic -> auth.mayReceive(caller, topic)));
            case "/api/retained/message" -> requireGet(ctx, req, get,
                    () -> retainedMessage(ctx, req, param(uri, "topic"), auth, caller));
            case "/api/clients/disconnect" -> {
                if (!req.method().equals(HttpMethod.POST)) {
                    HttpReplies.error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
                } else if (!req.headers().contains("X-Courtier-Console")) {
                    // A cross-site form cannot set this header; fetch from our page does.
                    HttpReplies.error(ctx, req, HttpResponseStatus.FORBIDDEN, "missing X-Courtier-Console header");
                } else if (!auth.mayAdmin(caller)) {
                    HttpReplies.error(ctx, req, HttpResponseStatus.FORBIDDEN, ADMINS_ONLY);
                } else {
                    disconnect(ctx, req, param(uri, "id"));
                }
            }
            case "/api/dynsec" -> {
                if (!req.method().equals(HttpMethod.POST)) {
                    HttpReplies.error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
                } else if (!req.headers().contains("X-Courtier-Console")) {
                    HttpReplies.error(ctx, req, HttpResponseStatus.FORBIDDEN, "missing X-Courtier-Console header");
                } else {
                    dynsec(ctx, req, caller);
                }
            }
            default -> HttpReplies.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such API: " + path);
        }
    }

    /**
     * Runs a dynamic security request for a console user whose roles allow it, off the event loop
     * (it may hash passwords); changes are saved and applied as for mosquitto_ctrl's.
     */
    private void dynsec(ChannelHandlerContext ctx, HttpRequest req, ConsoleAuth.Caller caller) {
        io.courtier.broker.security.dynsec.DynamicSecurity ds = broker.dynamicSecurities().stream().findFirst()
                .orElse(null);
        if (ds == null) {
            HttpReplies.error(ctx, req, HttpResponseStatus.NOT_FOUND, "dynamic security is not configured");
            return;
        }
        if (caller.user() == null || !ds.mayControl(caller.user())) {
            HttpReplies.error(ctx, req, HttpResponseStatus.UNAUTHORIZED,
                    "log in as a client whose roles allow " + io.courtier.broker.security.dynsec.DynamicSecurity.TOPIC);
            return;
        }
        io.netty.buffer.ByteBuf content = ((io.netty.handler.codec.http.FullHttpRequest) req).content();
        byte[] body = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), body);
        String user = caller.user();
        broker.logins().workers().execute(() -> {
            String response = new String(ds.handle("console", user, body), StandardCharsets.UTF_8);
            ctx.executor().execute(() -> HttpReplies.json(ctx, req, HttpResponseStatus.OK, response));
        });
    }

    private static void requireGet(ChannelHandlerContext ctx, HttpRequest req, boolean get, Runnable action) {
        if (get) {
            action.run();
        } else {
            HttpReplies.error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
        }
    }

    private static String param(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    private void info(ChannelHandlerContext ctx, HttpRequest req, ConsoleAuth auth, ConsoleAuth.Caller caller) {
        HttpReplies.json(ctx, req, HttpResponseStatus.OK, new Json().beginObject()
                .field("broker", "courtier")
                .field("version", version)
                .field("uptimeSeconds", uptimeSeconds())
                .field("loginRequired", auth.loginRequired())
                .field("user", caller.user())
                .field("canAdmin", auth.mayAdmin(caller))
                .field("mqttPath", mqttPath)
                .field("sysInterval", broker.config().sysInterval())
                .field("dynamicSecurity", !broker.dynamicSecurities().isEmpty())
                .field("bridges", broker.bridges().size())
                .endObject().toString());
    }

    private void overview(ChannelHandlerContext ctx, HttpRequest req) {
        BrokerStats s = broker.stats();
        long queued = 0;
        long inflight = 0;
        for (Session session : broker.sessions().all()) {
            queued += session.queuedCount();
            inflight += session.inflightCount();
        }
        Json json = new Json().beginObject()
                .field("version", version)
                .field("uptimeSeconds", uptimeSeconds())
                .field("clientsConnected", broker.sessions().connectedCount())
                .field("clientsDisconnected", broker.sessions().disconnectedCount())
                .field("clientsMaximum", broker.sessions().maximumConnected())
                .field("messagesReceived", s.publishReceived.sum())
                .field("messagesSent", s.publishSent.sum())
                .field("messagesDropped", s.publishDropped.sum())
                .field("bytesReceived", s.bytesReceived.sum())
                .field("bytesSent", s.bytesSent.sum())
                .field("retained", broker.retained().size())
                .field("subscriptions", broker.tree().count())
                .field("queued", queued)
                .field("inflight", inflight);
        cluster(json);
        HttpReplies.json(ctx, req, HttpResponseStatus.OK, json.endObject().toString());
    }

    /**
     * The cluster as this node sees it, as the overview's {@code cluster} field (absent on a single
     * broker): this node's name, the nodes oldest first, and what crossed between it and its peers.
     */
    private void cluster(Json json) {
        if (!cluster.enabled()) {
            return;
        }
        io.courtier.broker.cluster.Cluster.Stats s = cluster.stats();
        json.name("cluster").beginObject().field("node", cluster.nodeName()).name("nodes").beginArray();
        for (io.courtier.broker.cluster.Cluster.Node n : cluster.nodes()) {
            json.beginObject().field("name", n.name()).field("address", n.address()).field("local", n.local())
                    .endObject();
        }
        json.endArray().field("forwarded", s.forwarded()).field("received", s.received())
                .field("willsPublished", s.wills()).field("takenOver", s.takenOver()).endObject();
    }

    /** The bridges (connection blocks): link state, what waits for the remote broker, what moved. */
    private void bridges(ChannelHandlerContext ctx, HttpRequest req) {
        Json json = new Json().beginArray();
        for (io.courtier.broker.sys.BridgeStatus b : broker.bridges()) {
            json.beginObject().field("name", b.name()).field("remoteClientId", b.remoteClientId())
                    .field("localClientId", b.localClientId()).field("addresses", b.addresses())
                    .field("connected", b.connected()).field("queued", b.queued()).field("inflight", b.inflight())
                    .field("forwarded", b.forwarded()).field("received", b.received())
                    .field("connections", b.connections()).endObject();
        }
        HttpReplies.json(ctx, req, HttpResponseStatus.OK, json.endArray().toString());
    }

    /** One session as the clients table shows it; built on the session's loop. */
    private record ClientRow(String clientId, boolean connected, ConnectionInfo info, boolean cleanSession,
                             int subscriptions, List<String> filters, int queued, int inflight) {
    }

    private static ClientRow snapshot(Session s) {
        ClientLink link = s.link();
        List<String> filters = new ArrayList<>();
        for (Subscriber sub : s.subscriptions()) {
            if (filters.size() == MAX_FILTERS_LISTED) {
                break;
            }
            filters.add(Session.subscriptionKey(sub.shareGroup(), sub.filter()));
        }
        filters.sort(null);
        return new ClientRow(s.clientId(), link != null, link == null ? null : link.info(), s.cleanSession(),
                s.subscriptionCount(), filters, s.queuedCount(), s.inflightCount());
    }

    private void clients(ChannelHandlerContext ctx, HttpRequest req, String query) {
        List<Session> chosen = new ArrayList<>();
        int total = 0;
        for (Session s : broker.sessions().all()) {
            if (query != null && !query.isEmpty() && !s.clientId().contains(query)) {
                continue;
            }
            total++;
            if (chosen.size() < MAX_CLIENTS) {
                chosen.add(s);
            }
        }
        List<CompletableFuture<ClientRow>> rows = new ArrayList<>(chosen.size());
        for (Session s : chosen) {
            CompletableFuture<ClientRow> f = new CompletableFuture<>();
            s.execute(() -> f.complete(snapshot(s)));
            rows.add(f.completeOnTimeout(null, 2, TimeUnit.SECONDS));
        }
        int matching = total;
        CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new)).whenComplete((ok, error) ->
                ctx.executor().execute(() -> {
                    List<ClientRow> list = new ArrayList<>();
                    for (CompletableFuture<ClientRow> f : rows) {
                        ClientRow r = f.getNow(null);
                        if (r != null) {
                            list.add(r);
                        }
                    }
                    list.sort(Comparator.comparing(ClientRow::clientId));
                    HttpReplies.json(ctx, req, HttpResponseStatus.OK, clientsJson(list, matching));
                }));
    }

    private static String clientsJson(List<ClientRow> rows, int total) {
        Json j = new Json().beginObject().field("total", total).name("clients").beginArray();
        for (ClientRow r : rows) {
            j.beginObject()
                    .field("id", r.clientId())
                    .field("connected", r.connected())
                    .field("address", r.info() == null ? null : r.info().address())
                    .field("protocol", r.info() == null ? null : r.info().protocol())
                    .field("transport", r.info() == null ? null : r.info().transport())
                    .field("username", r.info() == null ? null : r.info().username())
                    .field("keepAlive", r.info() == null ? 0 : r.info().keepAlive())
                    .field("cleanSession", r.cleanSession())
                    .field("subscriptions", r.subscriptions())
                    .field("queued", r.queued())
                    .field("inflight", r.inflight())
                    .name("filters").beginArray();
            for (String f : r.filters()) {
                j.value(f);
            }
            j.endArray().endObject();
        }
        return j.endArray().endObject().toString();
    }

    private void disconnect(ChannelHandlerContext ctx, HttpRequest req, String clientId) {
        Session s = clientId == null ? null : broker.sessions().get(clientId);
        if (s == null) {
            HttpReplies.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no client " + clientId);
            return;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        s.execute(() -> {
            ClientLink link = s.link();
            if (link != null) {
                link.disconnectByAdministrator();
            }
            done.complete(link != null);
        });
        done.completeOnTimeout(false, 2, TimeUnit.SECONDS).thenAccept(wasConnected -> ctx.executor().execute(() -> {
            if (wasConnected) {
                HttpReplies.json(ctx, req, HttpResponseStatus.OK,
                        new Json().beginObject().field("disconnected", clientId).endObject().toString());
            } else {
                HttpReplies.error(ctx, req, HttpResponseStatus.CONFLICT, clientId + " is not connected");
            }
        }));
    }

    /** The retained topics the caller could read over MQTT; the others are not even counted. */
    private void retained(ChannelHandlerContext ctx, HttpRequest req, Predicate<String> readable) {
        List<RetainedMessage> all = new ArrayList<>();
        broker.retained().forEach(m -> {
            if (readable.test(m.topic())) {
                all.add(m);
            }
        });
        all.sort(Comparator.comparing(RetainedMessage::topic));
        Json j = new Json().beginObject().field("total", all.size()).name("topics").beginArray();
        for (RetainedMessage m : all.subList(0, Math.min(all.size(), MAX_TOPICS))) {
            j.beginObject().field("topic", m.topic()).field("size", m.payload().length).field("qos", m.qos())
                    .endObject();
        }
        HttpReplies.json(ctx, req, HttpResponseStatus.OK, j.endArray().endObject().toString());
    }

    private void retainedMessage(ChannelHandlerContext ctx, HttpRequest req, String topic, ConsoleAuth auth,
                                 ConsoleAuth.Caller caller) {
        if (topic != null && !auth.mayReceive(caller, topic)) {
            // Whether or not a message exists there: the answer must not tell.
            HttpReplies.error(ctx, req, HttpResponseStatus.FORBIDDEN, "the ACL does not let you read " + topic);
            return;
        }
        RetainedMessage m = topic == null ? null : broker.retained().get(topic);
        if (m == null) {
            HttpReplies.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no retained message on " + topic);
            return;
        }
        HttpReplies.json(ctx, req, HttpResponseStatus.OK, new Json().beginObject()
                .field("topic", m.topic())
                .field("qos", m.qos())
                .field("size", m.payload().length)
                .field("storedAt", m.storedAtMillis())
                .field("text", utf8(m.payload()))
                .field("base64", Base64.getEncoder().encodeToString(m.payload()))
                .endObject().toString());
    }

    /** The payload as text if it is valid UTF-8, else null. */
    private static String utf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
