package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * Mosquitto's dynamic security plugin: a {@code plugin} (or {@code auth_plugin}) line whose
 * file name is {@code mosquitto_dynamic_security.so}, in any directory, turns on Courtier's own
 * implementation (the file need not exist: no C code is loaded), and the
 * {@code plugin_opt_config_file} after it names its JSON file. Java plugins and go-auth are
 * {@link AuthPluginDirectives}' (read before this class); other plugin lines are left to
 * {@link UnsupportedDirectives}' warnings. Under {@code per_listener_settings} the plugin belongs
 * to the listener it appears in.
 */
final class DynamicSecurityDirectives {

    /** The file name Mosquitto's dynamic security plugin is loaded from. */
    static final String PLUGIN_FILE = "mosquitto_dynamic_security.so";

    private DynamicSecurityDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        String name = l.name();
        if (name.equals("plugin") || name.equals("auth_plugin")) {
            endPlugin(s);
            Path fileName = Path.of(Values.string(l)).getFileName();
            if (fileName == null || !fileName.toString().equals(PLUGIN_FILE)) {
                return false;
            }
            s.dynamicSecurityPlugin = l;
            return true;
        }
        if (!name.startsWith("plugin_opt_") || s.dynamicSecurityPlugin == null) {
            return false;
        }
        if (!name.equals("plugin_opt_config_file")) {
            s.warn(l, name + " is not an option of the dynamic security plugin; ignored.");
            return true;
        }
        Path file = Values.readableFile(l);
        SecurityDirectives.set(l, s, c -> c.withDynamicSecurityFile(file));
        s.dynamicSecurityConfigured = true;
        return true;
    }

    /** At each new plugin line and at the end: a dynamic security plugin without its file does nothing. */
    static void endPlugin(ConfigState s) {
        if (s.dynamicSecurityPlugin != null && !s.dynamicSecurityConfigured) {
            s.warn(s.dynamicSecurityPlugin, "Dynamic security plugin has no plugin_opt_config_file defined. "
                    + "The plugin will not be activated.");
        }
        s.dynamicSecurityPlugin = null;
        s.dynamicSecurityConfigured = false;
    }
}
