package io.courtier.broker.bridge;

import io.courtier.broker.config.BridgeConfig;
import io.courtier.broker.config.BridgeTopic;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.routing.Congestion;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.client.ClientTls;
import io.courtier.client.MqttClient;
import io.courtier.client.MqttConnectException;
import io.courtier.codec.Connack;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import io.courtier.codec.Publish;
import io.courtier.codec.Subscription;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code connection} block at work: a connection to the remote broker that is retried for as
 * long as the broker runs (a failed first attempt included), through the addresses in order, with
 * the restart_timeout back-off between attempts; the local session's link while it is up; and the
 * state notifications ({@code $SYS/broker/connection/REMOTE_ID/state} 1 or 0, retained, here and,
 * through the will and a first message, on the remote broker). Everything runs on the local
 * session's event loop, which is also the client's.
 */
final class Bridge {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private final BridgeConfig config;
    private final BrokerContext broker;
    private final Session session;
    private final EventLoop loop;
    private final SslContext tls;
    private final RestartDelay delay;
    private final BridgeCounters counters = new BridgeCounters();
    private int addressIndex;
    private boolean tryPrivate;
    private MqttClient client;
    private RemoteLink link;
    private volatile boolean up;
    /** Set when the main address answers again while a secondary one serves (round_robin false). */
    private boolean backToMain;
    /** An attempt is under way or scheduled (lazy start does not start another). */
    private boolean attempting;
    /** start_type lazy: traffic seen at the last check, and seconds since it changed. */
    private long lastMoved = -1;
    private int idleSeconds;
    private volatile boolean closed;

    Bridge(BridgeConfig config, BrokerContext broker, Session session) {
        this.config = config;
        this.broker = broker;
        this.session = session;
        this.loop = session.loop();
        this.tls = tls(config);
        this.delay = new RestartDelay(config.restartTimeout());
        this.tryPrivate = config.tryPrivate();
    }

    /** The TLS context, when bridge_cafile or bridge_capath is set; a bad file stops start-up. */
    static SslContext tls(BridgeConfig c) {
        BridgeConfig.Tls t = c.tls();
        if (!t.enabled()) {
            return null;
        }
        try {
            return ClientTls.context(t.cafile(), t.capath(), t.certfile(), t.keyfile(), t.version(), t.insecure(), false,
                    t.alpn());
        } catch (ClientTls.TlsConfigException e) {
            throw new IllegalStateException(c.origin() + ": bridge " + c.name() + ": " + e.getMessage(), e);
        }
    }

    void start() {
        loop.execute(() -> {
            notifyLocally(false);
            if (config.startType() == BridgeConfig.StartType.LAZY) {
                loop.scheduleAtFixedRate(this::lazily, 1, 1, TimeUnit.SECONDS);
            } else {
                connect();
            }
        });
    }

    /**
     * start_type lazy, once a second: connect when {@code threshold} messages wait for the remote
     * broker; disconnect once nothing has moved for {@code idle_timeout} seconds and nothing waits.
     */
    private void lazily() {
        if (closed) {
            return;
        }
        int waiting = session.queuedCount() + session.inflightCount();
        if (!up) {
            if (!attempting && waiting >= config.threshold()) {
                LOG.info("Bridge {}: {} messages waiting, starting (start_type lazy).", config.name(), waiting);
                connect();
            }
            return;
        }
        long moved = counters.forwardedCount() + counters.receivedCount() + waiting;
        if (moved != lastMoved) {
            lastMoved = moved;
            idleSeconds = 0;
        } else if (waiting == 0 && ++idleSeconds >= config.idleTimeout()) {
            LOG.info("Bridge {} stopping: idle for {} s (start_type lazy).", config.name(), idleSeconds);
            MqttClient c = client;
            c.disconnect().whenComplete((v, t) -> loop.execute(() -> {
                if (c == client) {
                    linkDown();
                }
            }));
        }
    }

    String name() {
        return config.name();
    }

    boolean isUp() {
        return up;
    }

    Session session() {
        return session;
    }

    BridgeCounters counters() {
        return counters;
    }

    BridgeConfig config() {
        return config;
    }

    private BridgeConfig.Address address() {
        return config.addresses().get(addressIndex);
    }

    private void connect() {
        if (closed) {
            return;
        }
        attempting = true;
        idleSeconds = 0;
        BridgeConfig.Address a = address();
        LOG.info("Connecting bridge {} ({})", config.name(), a);
        MqttClient c = new MqttClient(RemoteOptions.of(config, a, tryPrivate, tls), loop);
        client = c;
        c.publishFlow(new RemoteFlow(config, broker, session, c, counters));
        c.onConnectionLost(t -> lost(c, t));
        // The session writes while the socket takes it, then waits (QoS 0 has no acknowledgement
        // to wake it): it goes on when the socket drains.
        c.onWritable(() -> {
            if (up && c == client) {
                session.drain();
            }
        });
        c.connect().whenComplete((connack, failure) -> loop.execute(() -> {
            if (failure != null) {
                failed(c, failure);
            } else {
                connected(c, connack);
            }
        }));
    }

    private void connected(MqttClient c, Connack connack) {
        if (closed || c != client) {
            c.dropConnection();
            return;
        }
        delay.reset();
        attempting = false;
        counters.connected();
        boolean v5 = config.protocol() == BridgeConfig.Protocol.MQTT50;
        if (!connack.sessionPresent()) {
            session.forgetInboundQos2(); // the remote broker forgot them too: no PUBREL will come
        }
        unsubscribeOutgoing(c);
        subscribeIncoming(c, v5);
        int receiveMaximum = 65_535;
        long maxPacketSize = config.maxPacketSize();
        if (v5) {
            Integer rm = connack.properties().integer(PropertyId.RECEIVE_MAXIMUM);
            receiveMaximum = rm != null ? rm : 65_535;
            Long remoteMax = connack.properties().fourByte(PropertyId.MAXIMUM_PACKET_SIZE);
            if (remoteMax != null && (maxPacketSize == 0 || remoteMax < maxPacketSize)) {
                maxPacketSize = remoteMax;
            }
        }
        link = new RemoteLink(config, c, address().toString(), receiveMaximum, maxPacketSize);
        up = true;
        broker.sessions().clientConnected();
        session.setReadPermission(io.courtier.broker.session.ReadPermission.ALL);
        session.resume(link); // what was in flight goes again, then the queue
        if (config.notifications()) {
            notifyLocally(true);
            if (!config.notificationsLocalOnly()) {
                session.deliver(notification(true), 1, true);
            }
        }
        queueRetained();
        if (!config.roundRobin() && addressIndex != 0) {
            checkMainLater(c);
        }
    }

    /**
     * round_robin false: while a secondary address serves, the first one is tried now and then
     * (every restart_timeout cap) with a bare TCP connection; once it answers, the bridge moves
     * back to it, as mosquitto.conf(5) says.
     */
    private void checkMainLater(MqttClient serving) {
        loop.schedule(() -> {
            if (closed || serving != client || !up) {
                return;
            }
            BridgeConfig.Address main = config.addresses().get(0);
            new io.netty.bootstrap.Bootstrap().group(loop).channel(io.courtier.client.ClientLoops.socketChannel(loop))
                    .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) RemoteOptions.CONNECT_TIMEOUT_MILLIS)
                    .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                    .connect(main.host(), main.port()).addListener((io.netty.channel.ChannelFuture f) -> {
                        if (!f.isSuccess()) {
                            checkMainLater(serving);
                            return;
                        }
                        f.channel().close();
                        if (serving == client && up && !closed) {
                            LOG.info("Bridge {}: its main address {} answers again; moving back to it.",
                                    config.name(), main);
                            backToMain = true;
                            serving.dropConnection();
                        }
                    });
        }, config.restartTimeout().cap(), TimeUnit.SECONDS);
    }

    /** bridge_attempt_unsubscribe: out-only topics may have been in/both before; the remote forgets them. */
    private void unsubscribeOutgoing(MqttClient c) {
        if (!config.attemptUnsubscribe()) {
            return;
        }
        List<String> filters = new ArrayList<>();
        for (BridgeTopic t : config.topics()) {
            if (t.direction() == BridgeTopic.Direction.OUT && !filters.contains(t.remoteFilter())) {
                filters.add(t.remoteFilter());
            }
        }
        if (!filters.isEmpty()) {
            c.unsubscribe(filters, Properties.NONE);
        }
    }

    /**
     * The in/both topics on the remote broker: MQTT 5 asks for no-local (so a both topic does not
     * come back) and retain-as-published; 3.1.1 relies on try_private for the same with Mosquitto.
     */
    private void subscribeIncoming(MqttClient c, boolean v5) {
        List<Subscription> subs = new ArrayList<>();
        for (BridgeTopic t : config.topics()) {
            if (t.direction().incoming()) {
                subs.add(new Subscription(t.remoteFilter(), t.qos(), v5, v5, 0));
            }
        }
        if (!subs.isEmpty()) {
            c.subscribe(subs, Properties.NONE).whenComplete((suback, failure) -> {
                if (failure == null && suback.reasonCodes().stream().anyMatch(code -> code >= 0x80)) {
                    LOG.warn("Bridge {}: the remote broker refused some of its subscriptions ({}).", config.name(),
                            suback.reasonCodes());
                }
            });
        }
    }

    /**
     * As Mosquitto's bridges do on each connection: the retained messages of the out/both topics
     * go to the remote broker, so it has the current value of each.
     */
    private void queueRetained() {
        for (BridgeTopic t : config.topics()) {
            if (!t.direction().outgoing()) {
                continue;
            }
            broker.retained().match(t.localFilter(), r -> {
                Message m = new Message(r.topic(), r.qos(), true, r.properties(), Unpooled.wrappedBuffer(r.payload()),
                        r.sourceClientId(), r.expiresAtMillis());
                try {
                    if (!session.clientId().equals(r.sourceClientId())) { // no-local: not what it brought in
                        session.deliver(m, Math.min(r.qos(), t.qos()), true);
                    }
                } finally {
                    m.release();
                }
            });
        }
    }

    private void failed(MqttClient c, Throwable failure) {
        c.dropConnection();
        if (closed || c != client) {
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof MqttConnectException refused && refused.reasonCode() == 1 && tryPrivate) {
            // Not a Mosquitto peer: it refused the bridge bit. Mosquitto tries again without it.
            LOG.info("Bridge {}: {} does not take try_private; connecting as an ordinary client.", config.name(),
                    address());
            tryPrivate = false;
            connect();
            return;
        }
        LOG.warn("Bridge {}: connection to {} failed: {}", config.name(), address(), describe(cause));
        nextAddress();
        restartLater();
    }

    private void lost(MqttClient c, Throwable cause) {
        loop.execute(() -> {
            if (c != client) {
                return;
            }
            linkDown();
            c.dropConnection();
            if (closed) {
                return;
            }
            if (backToMain) {
                backToMain = false;
                addressIndex = 0;
                delay.reset();
                connect();
                return;
            }
            LOG.warn("Bridge {} lost its connection to {}: {}", config.name(), address(), describe(cause));
            nextAddress();
            if (config.startType() == BridgeConfig.StartType.LAZY) {
                attempting = false; // started again when messages wait
                return;
            }
            restartLater();
        });
    }

    /** The link is down: the session keeps what it holds for the next one. */
    private void linkDown() {
        if (up) {
            up = false;
            session.detach(link);
            link = null;
            broker.sessions().clientDisconnected();
            if (config.notifications()) {
                notifyLocally(false);
            }
        }
    }

    /** round_robin or not, the next attempt goes to the next address; without it a success resets to the first. */
    private void nextAddress() {
        addressIndex = (addressIndex + 1) % config.addresses().size();
    }

    private void restartLater() {
        if (config.startType() == BridgeConfig.StartType.ONCE) {
            LOG.info("Bridge {} is not restarted (start_type once).", config.name());
            return;
        }
        long millis = delay.nextMillis();
        loop.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private Message notification(boolean connected) {
        return new Message(config.notificationTopic(), 1, true, Properties.NONE,
                Unpooled.wrappedBuffer(new byte[] {(byte) (connected ? '1' : '0')}), session.clientId());
    }

    /** $SYS/broker/connection/REMOTE_ID/state here: 1 while the link is up, 0 otherwise. */
    private void notifyLocally(boolean connected) {
        if (!config.notifications()) {
            return;
        }
        Message m = notification(connected);
        try {
            broker.ingest().publish(m, Congestion.IGNORED);
        } finally {
            m.release();
        }
    }

    /**
     * Broker shutdown: the state notification goes to 0 on the remote broker (a DISCONNECT makes
     * it drop the will that would have said so), then DISCONNECT. Completes when the connection
     * is closed.
     */
    CompletableFuture<Void> close() {
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            MqttClient c = client;
            if (c == null || !up) {
                done.complete(null);
                return;
            }
            if (config.notifications() && !config.notificationsLocalOnly()) {
                c.write(new Publish(config.notificationTopic(), 0, true, false, 0, Properties.NONE,
                        Unpooled.wrappedBuffer(new byte[] {'0'})));
            }
            c.disconnect().whenComplete((v, t) -> done.complete(null));
        });
        return done;
    }
}
