package io.courtier.broker;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.config.ConfigReport;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.security.SecurityRules;
import io.courtier.broker.transport.Listeners;
import io.courtier.broker.transport.TlsContexts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --test-config}: everything start-up would check, without opening a port. The
 * configuration and every file it includes are read line by line (each wrong line reported as
 * {@code FILE:LINE: message}, not only the first); then the files it names are loaded as the
 * broker would load them: password and ACL files, and each listener's address or
 * {@code bind_interface} and TLS certificate, key, CA and CRL files (reported at the listener's
 * {@code FILE:LINE}), and each bridge's TLS files (at its {@code connection} line).
 */
public final class ConfigCheck {

    /** What was found: nothing in {@code errors} means the broker would start with this file. */
    public record Result(List<String> errors, List<String> warnings) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private ConfigCheck() {
    }

    public static Result run(Path configFile) {
        ConfigReport report = ConfigParser.check(configFile);
        if (!report.errors().isEmpty()) {
            return new Result(report.errors(), report.warnings());
        }
        BrokerConfig config = report.parsed().config();
        List<String> errors = new ArrayList<>();
        try (SecurityRules rules = SecurityRules.load(config)) {
            // loaded: the password and ACL files are usable
        } catch (IllegalStateException e) {
            errors.add(e.getMessage());
        }
        List<ListenerConfig> listeners = config.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerConfig l = listeners.get(i);
            String where = i < report.listenerOrigins().size() ? report.listenerOrigins().get(i) : configFile.toString();
            try {
                Listeners.resolve(l); // its address or bind_interface, not bound
                if (l.tls() != null) {
                    TlsContexts.serverContext(l.tls());
                }
            } catch (IllegalStateException e) {
                errors.add(where + ": listener on port " + l.port() + ": " + e.getMessage());
            }
        }
        for (io.courtier.broker.config.BridgeConfig b : config.bridges()) {
            try {
                io.courtier.broker.bridge.Bridges.checkTls(b);
            } catch (IllegalStateException e) {
                errors.add(e.getMessage());
            }
        }
        return new Result(List.copyOf(errors), report.warnings());
    }
}
