package io.courtier.broker.security.backends;

import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.CourtierPlugin;
import io.courtier.plugin.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Plugins that misbehave, and jars that name them, for the containment tests. */
final class TestPlugins {
    private TestPlugins() {
    }

    /** Throws from every check. */
    public static final class Throwing implements CourtierPlugin {
        @Override
        public Decision authenticate(ClientInfo client, byte[] password) {
            throw new IllegalStateException("plugin bug");
        }

        @Override
        public Decision authorise(ClientInfo client, Access access, String topic) {
            throw new IllegalStateException("plugin bug");
        }
    }

    /** Never answers a check (until the broker stops and interrupts it). */
    public static final class Hanging implements CourtierPlugin {
        @Override
        public Decision authenticate(ClientInfo client, byte[] password) {
            try {
                Thread.sleep(3_600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Decision.ALLOW;
        }
    }

    /** Defers everything: a plugin that is there and does nothing. */
    public static final class Quiet implements CourtierPlugin {
    }

    /** Allows everyone and everything, and records what it observes (static: the broker makes the instance). */
    public static final class Observing implements CourtierPlugin {
        static final java.util.List<String> EVENTS = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Decision authenticate(ClientInfo client, byte[] password) {
            return Decision.ALLOW;
        }

        @Override
        public Decision authorise(ClientInfo client, Access access, String topic) {
            return Decision.ALLOW;
        }

        @Override
        public void connected(ClientInfo client) {
            EVENTS.add("connected " + client.clientId() + " " + client.username());
        }

        @Override
        public void disconnected(ClientInfo client) {
            EVENTS.add("disconnected " + client.clientId());
        }

        @Override
        public void published(ClientInfo client, String topic, byte[] payload, int qos, boolean retain) {
            EVENTS.add("published " + client.clientId() + " " + topic + " "
                    + new String(payload, StandardCharsets.UTF_8) + " q" + qos + (retain ? " r" : ""));
        }
    }

    /** Refuses to start without {@code plugin_opt_required}. */
    public static final class Picky implements CourtierPlugin {
        @Override
        public void init(Map<String, String> options) {
            if (!options.containsKey("required")) {
                throw new IllegalArgumentException("plugin_opt_required is missing");
            }
        }
    }

    /** A jar whose service file names {@code plugin}; the class itself comes from the test class path. */
    static Path jar(Path dir, Class<? extends CourtierPlugin> plugin) throws IOException {
        Path jar = dir.resolve(plugin.getSimpleName().toLowerCase(java.util.Locale.ROOT) + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + CourtierPlugin.class.getName()));
            out.write((plugin.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
