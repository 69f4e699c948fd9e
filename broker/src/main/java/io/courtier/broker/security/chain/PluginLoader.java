package io.courtier.broker.security.chain;

import io.courtier.broker.config.PluginConfig;
import io.courtier.broker.security.SecurityFileException;
import io.courtier.plugin.CourtierPlugin;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Loads a {@code plugin x.jar}: the jar gets its own class loader (the plugin API and the JDK
 * come from the broker's), its {@link CourtierPlugin} is found through {@link ServiceLoader},
 * and {@link CourtierPlugin#init} gets the {@code plugin_opt_*} options. Any failure stops
 * start-up with the plugin line's {@code FILE:LINE}.
 */
final class PluginLoader {
    private PluginLoader() {
    }

    static PluginLink load(PluginConfig config, long timeoutMillis) {
        String where = config.where() + ": plugin " + config.jar();
        URL url;
        try {
            url = config.jar().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new SecurityFileException(where + ": " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {url}, CourtierPlugin.class.getClassLoader());
        CourtierPlugin plugin;
        try {
            Iterator<CourtierPlugin> found = ServiceLoader.load(CourtierPlugin.class, loader).iterator();
            if (!found.hasNext()) {
                throw new SecurityFileException(where + ": the jar lists no io.courtier.plugin.CourtierPlugin in "
                        + "META-INF/services.", null);
            }
            plugin = found.next();
            plugin.init(config.options());
        } catch (SecurityFileException e) {
            throw e;
        } catch (ServiceConfigurationError | Exception | LinkageError e) {
            throw new SecurityFileException(where + ": " + e, e);
        }
        return new PluginLink(config.jar().getFileName().toString(), plugin, timeoutMillis);
    }
}
