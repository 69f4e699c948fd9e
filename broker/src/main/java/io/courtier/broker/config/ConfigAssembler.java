package io.courtier.broker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what was read into a {@link BrokerConfig}, applying Mosquitto 2's whole-file rules:
 * no listener at all means local-only mode; the default listener exists only if something
 * configured it; two listeners may not bind the same port and address.
 */
final class ConfigAssembler {

    private ConfigAssembler() {
    }

    static ParsedConfig assemble(ConfigState s) throws ConfigException {
        DynamicSecurityDirectives.endPlugin(s);
        BrokerConfig.Builder b = s.builder;
        List<ListenerDraft> drafts = new ArrayList<>(s.listeners);
        if (s.defaultUsed) {
            drafts.add(s.defaultListener); // Mosquitto opens it after the listener blocks
        } else if (s.defaultSecurityLine != null) {
            if (drafts.isEmpty()) {
                // Local-only mode: its listeners take the default listener's security settings.
                b.security = s.defaultListener.security;
            } else {
                s.warn(s.defaultSecurityLine, s.defaultSecurityLine.name() + " comes before any listener, so under "
                        + "per_listener_settings it applies to the default listener, which is not started: "
                        + "move it into a listener block.");
            }
        }
        int headers = s.websocketsHeadersSize == null || s.websocketsHeadersSize == 0 ? 4096 : s.websocketsHeadersSize;
        if (!drafts.isEmpty()) {
            List<ListenerConfig> built = new ArrayList<>();
            for (int i = 0; i < drafts.size(); i++) {
                ListenerDraft d = drafts.get(i);
                for (int j = 0; j < i; j++) {
                    if (d.clashesWith(drafts.get(j))) {
                        throw ConfigException.at(d.file, d.line, "Duplicate listener on port " + d.port
                                + " (already declared at " + drafts.get(j).file + ":" + drafts.get(j).line + ").");
                    }
                }
                built.add(d.build(headers));
            }
            b.listeners(built);
        }
        if (s.logDest != null) {
            b.logDest = List.copyOf(s.logDest);
        }
        if (s.logTypes != null) {
            b.logTypes = java.util.Set.copyOf(s.logTypes);
        }
        b.auth = AuthPluginDirectives.finish(s);
        b.cluster = ClusterDirectives.finish(s, b.listeners);
        b.bridges = BridgeDirectives.finish(s);
        return new ParsedConfig(b.build(), List.copyOf(s.warnings));
    }
}
