package io.courtier.broker.security.chain;

import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.CourtierPlugin;
import io.courtier.plugin.Decision;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java plugin as a link. Its calls run on the plugin's own few threads, never on an event
 * loop or the broker's other workers, so a plugin that hangs holds only its own threads. A
 * check that throws, times out ({@code plugin_timeout}) or finds the plugin's queue full counts
 * as a denial, with one log line; an event that fails is logged and dropped.
 */
public final class PluginLink implements AuthLink {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");
    /** Threads per plugin: calls in flight at once; a hung plugin can hold no more than these. */
    private static final int THREADS = 4;
    private static final int QUEUE = 10_000;

    private final String name;
    private final CourtierPlugin plugin;
    private final long timeoutMillis;
    private final ThreadPoolExecutor threads;
    private final boolean observesMessages;

    public PluginLink(String name, CourtierPlugin plugin, long timeoutMillis) {
        this.name = name;
        this.plugin = plugin;
        this.timeoutMillis = timeoutMillis;
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "courtier-plugin-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.observesMessages = overrides(plugin, "published", ClientInfo.class, String.class, byte[].class,
                int.class, boolean.class);
    }

    private static boolean overrides(Object o, String method, Class<?>... types) {
        try {
            return o.getClass().getMethod(method, types).getDeclaringClass() != CourtierPlugin.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Decision> authenticate(ClientInfo client, byte[] password) {
        return call("authenticate " + client.clientId(), () -> plugin.authenticate(client, password));
    }

    @Override
    public CompletableFuture<Decision> authorise(ClientInfo client, Access access, String topic) {
        return call("authorise " + client.clientId() + " " + access + " " + topic,
                () -> plugin.authorise(client, access, topic));
    }

    private CompletableFuture<Decision> call(String what, Supplier<Decision> check) {
        CompletableFuture<Decision> answer;
        try {
            answer = CompletableFuture.supplyAsync(check, threads);
        } catch (RejectedExecutionException e) {
            LOG.warn("Plugin {} is not keeping up ({} calls waiting); {} denied.", name, QUEUE, what);
            return CompletableFuture.completedFuture(Decision.DENY);
        }
        return answer.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handle((d, e) -> {
            if (e == null) {
                return d == null ? Decision.DEFER : d;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                LOG.warn("Plugin {} did not answer {} within {} ms; denied.", name, what, timeoutMillis);
            } else {
                LOG.warn("Plugin {} failed on {}: {}; denied.", name, what, cause.toString());
            }
            return Decision.DENY;
        });
    }

    private void event(String what, Runnable r) {
        try {
            threads.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Plugin {} failed on {}: {}", name, what, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Plugin {} is not keeping up; {} not reported.", name, what);
        }
    }

    @Override
    public void connected(ClientInfo client) {
        event("connected", () -> plugin.connected(client));
    }

    @Override
    public void disconnected(ClientInfo client) {
        event("disconnected", () -> plugin.disconnected(client));
    }

    @Override
    public boolean observesMessages() {
        return observesMessages;
    }

    @Override
    public void published(ClientInfo client, String topic, byte[] payload, int qos, boolean retain) {
        event("published", () -> plugin.published(client, topic, payload, qos, retain));
    }

    @Override
    public void close() {
        try {
            plugin.close();
        } catch (RuntimeException e) {
            LOG.warn("Plugin {} failed to close: {}", name, e.toString());
        }
        threads.shutdownNow();
    }
}
