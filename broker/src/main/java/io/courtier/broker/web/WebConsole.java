package io.courtier.broker.web;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import io.courtier.broker.protocol.BrokerContext;
import io.courtier.broker.transport.HttpHandlers;
import io.courtier.broker.transport.Listeners;
import io.netty.channel.ChannelHandler;
import java.nio.file.Path;

/**
 * The web room's entry point, built by {@code Broker}: for each listener that speaks HTTP it
 * supplies what answers plain requests — the console (page, JSON API, /metrics) on
 * {@code protocol http} listeners, Mosquitto's {@code http_dir} files on {@code protocol
 * websockets} listeners.
 */
public final class WebConsole implements HttpHandlers {

    private final BrokerContext broker;
    private final BrokerMetrics metrics;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final ConsoleApi api;

    public WebConsole(BrokerContext broker, String version, long startNanos, BrokerMetrics metrics,
                      io.courtier.broker.cluster.Cluster cluster) {
        this.broker = broker;
        this.metrics = metrics;
        this.api = new ConsoleApi(broker, version, startNanos, Listeners.CONSOLE_MQTT_PATH, cluster);
    }

    @Override
    public ChannelHandler newHandler(ListenerConfig listener) {
        if (listener.protocol() == ListenerProtocol.HTTP) {
            return new ConsoleHandler(assets, api, metrics, new ConsoleAuth(broker, listener),
                    new ConsoleHosts(listener, broker.config().console().hosts()));
        }
        if (listener.httpDir() != null) {
            return new DirectoryFiles(Path.of(listener.httpDir()));
        }
        return HttpHandlers.NOT_FOUND.newHandler(listener);
    }

    /** Whether a configuration has a console listener (and so needs metrics). */
    public static boolean wanted(java.util.List<ListenerConfig> listeners) {
        return listeners.stream().anyMatch(l -> l.protocol() == ListenerProtocol.HTTP);
    }
}
