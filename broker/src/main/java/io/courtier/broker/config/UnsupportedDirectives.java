package io.courtier.broker.config;

import java.util.Map;

/**
 * Mosquitto directives Courtier reads but does not implement yet. Each one met becomes a
 * warning naming FILE:LINE and the directive, so nothing in a user's file is skipped silently.
 */
final class UnsupportedDirectives {

    /** Other known directives, with why Courtier ignores them where that helps the reader. */
    private static final Map<String, String> OTHERS = Map.ofEntries(
            Map.entry("auth_plugin", "of Mosquitto's auth plugins only mosquitto-go-auth's http and jwt backends "
                    + "are implemented"),
            Map.entry("auth_plugin_deny_special_chars", "plugins are not supported"),
            Map.entry("plugin", "C plugins are not loaded; Java plugins are: plugin x.jar"),
            Map.entry("global_plugin", "plugins are not supported"),
            Map.entry("plugin_load", "plugins are not supported"),
            Map.entry("plugin_use", "plugins are not supported"),
            Map.entry("psk_file", "TLS-PSK is not supported"),
            Map.entry("psk_hint", "TLS-PSK is not supported"),
            Map.entry("tls_engine", "OpenSSL engines are not supported: keys are read from keyfile"),
            Map.entry("tls_engine_kpass_sha1", "OpenSSL engines are not supported"),
            Map.entry("tls_keyform", "keys are read from keyfile as PEM"),
            Map.entry("dhparamfile", "Courtier uses ECDHE key exchange"),
            Map.entry("websockets_log_level", "it configures libwebsockets, which Courtier does not use"),
            Map.entry("log_facility", "syslog lines always use facility daemon"),
            Map.entry("memory_limit", "not supported"),
            Map.entry("allow_duplicate_messages", "deprecated; Courtier never sends a message twice to one client"),
            Map.entry("use_username_as_clientid", "not supported yet"),
            Map.entry("retry_interval", "removed in Mosquitto 2"),
            Map.entry("store_clean_interval", "removed in Mosquitto 2"),
            Map.entry("enable_control_api", "not supported"));

    private UnsupportedDirectives() {
    }

    /** Records a warning and returns true if {@code l} is a known directive Courtier ignores. */
    static boolean apply(ConfigLine l, ConfigState s) {
        String name = l.name();
        String why;
        if (name.equals("bridge_identity") || name.equals("bridge_psk")) {
            why = "TLS-PSK is not supported; bridges use certificates";
        } else if (name.startsWith("bridge_")) {
            why = "Courtier's bridges do not implement it";
        } else if (name.startsWith("auth_opt_") || name.startsWith("plugin_opt_")) {
            why = "it belongs to a plugin Courtier does not load";
        } else {
            why = OTHERS.get(name);
        }
        if (why == null) {
            return false;
        }
        s.warn(l, name + " is not supported by Courtier (" + why + "); ignored.");
        return true;
    }
}
