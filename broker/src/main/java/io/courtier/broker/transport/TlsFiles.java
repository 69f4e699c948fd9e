package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.TlsConfig;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listeners' certificate, key, CA and CRL files, read again on SIGHUP and when they
 * change on disk: a certificate renewed by certbot (a new target behind the {@code live/}
 * symbolic links) or copied over by a deploy hook is used by new handshakes without a restart
 * or a signal. The files are looked at every {@link #CHECK_SECONDS} seconds (their real path,
 * time and size: a few {@code stat} calls), and read once they have stayed the same for one
 * more look, so a certificate written before its key is not taken alone. A set of files that
 * fails to load is logged once and the listener keeps the context it has. Connections already
 * open keep their session.
 */
final class TlsFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** How often the files are looked at; a change is used one to two periods after it is made. */
    static final int CHECK_SECONDS = 5;

    private record Listener(ListenerConfig config, Consumer<SslContext> install) {
    }

    private final List<Listener> listeners = new ArrayList<>();
    /** What the files looked like when last read (or last failed), and a change seen once. */
    private final Map<ListenerConfig, List<String>> loaded = new LinkedHashMap<>();
    private final Map<ListenerConfig, List<String>> pending = new LinkedHashMap<>();
    private ScheduledExecutorService watcher;

    /** Builds the listener's context now (a bad file stops start-up) and keeps it up to date. */
    synchronized void add(ListenerConfig l, Consumer<SslContext> install) {
        List<String> stamp = stamp(l.tls());
        install.accept(TlsContexts.serverContext(l.tls()));
        listeners.add(new Listener(l, install));
        loaded.put(l, stamp);
        if (watcher == null) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "courtier-tls-files");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::checkQuietly, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** SIGHUP: reads every listener's files again now. */
    synchronized void reloadAll() {
        for (Listener l : listeners) {
            load(l, stamp(l.config.tls()), "Reload of TLS files");
        }
    }

    /** One look at the files: a listener whose files changed and then held still is reloaded. */
    synchronized void check() {
        for (Listener l : listeners) {
            List<String> now = stamp(l.config.tls());
            if (now.equals(loaded.get(l.config))) {
                pending.remove(l.config);
                continue;
            }
            // Changed: read it once it looks the same as at the previous look (holds still).
            if (now.equals(pending.put(l.config, now))) {
                pending.remove(l.config);
                if (load(l, now, "TLS files changed on disk")) {
                    LOG.info("TLS files of the listener on port {} changed on disk: new connections use them.",
                            l.config.port());
                }
            }
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("Checking the TLS files failed: {}", e.toString());
        }
    }

    private boolean load(Listener l, List<String> stamp, String why) {
        loaded.put(l.config, stamp); // a failure is reported once, not on every look
        try {
            l.install.accept(TlsContexts.serverContext(l.config.tls()));
            return true;
        } catch (IllegalStateException e) {
            LOG.error("{} for port {} failed, keeping the previous ones: {}", why, l.config.port(), e.getMessage());
            return false;
        }
    }

    /** Real path, modification time and size of each file the context is built from. */
    static List<String> stamp(TlsConfig tls) {
        List<String> out = new ArrayList<>();
        for (Path p : new Path[] {tls.certfile(), tls.keyfile(), tls.cafile(), tls.crlfile()}) {
            if (p != null) {
                out.add(describe(p));
            }
        }
        if (tls.capath() != null) {
            try (Stream<Path> files = Files.list(tls.capath())) {
                files.sorted().forEach(f -> out.add(describe(f)));
            } catch (IOException e) {
                out.add(tls.capath() + " unreadable");
            }
        }
        return out;
    }

    private static String describe(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class); // follows links
            return p.toRealPath() + " " + a.lastModifiedTime().toMillis() + " " + a.size();
        } catch (IOException e) {
            return p + " missing";
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }
}
