package io.courtier.broker.security;

import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.SecurityConfig;
import io.courtier.broker.security.chain.AuthChain;
import io.courtier.broker.security.chain.AuthLink;
import io.courtier.broker.security.chain.FileLink;
import io.courtier.broker.security.chain.SharedLinks;
import io.courtier.broker.security.dynsec.DynamicSecurity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every listener's authentication and ACL, loaded from the password and ACL files the
 * configuration names: one set for all listeners, or each listener's own under
 * {@code per_listener_settings true}. {@link #reload} reads the files again (SIGHUP) and swaps
 * the rules in place; if a file cannot be read, the rules in force stay.
 */
public final class SecurityRules implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** The configuration the rules come from; a reload of mosquitto.conf replaces it. */
    private volatile BrokerConfig config;
    private final Map<ListenerConfig, ListenerSecurity> byListener = new HashMap<>();
    private final ListenerSecurity fallback;
    private final LoginGate logins;
    private final List<Administrators> administrators = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Plugins and backends, shared by every listener's chain and kept across reloads. */
    private SharedLinks shared;
    /** Dynamic security, one per file; read once at start (a reload leaves it: it is managed live). */
    private final Map<Path, DynamicSecurity> dynamicSecurity = new LinkedHashMap<>();

    private SecurityRules(BrokerConfig config, LongAdder loginsRefusedBusy) {
        this.config = config;
        this.fallback = ListenerSecurity.of(Authenticator.anonymous(false), Authorizer.ALLOW_ALL);
        this.logins = new LoginGate(LoginLimits.DEFAULT, loginsRefusedBusy);
        this.administrators.add(Administrators.named(config.console().admins()));
    }

    /** Loads the files; throws {@link SecurityFileException} naming the file that failed. */
    public static SecurityRules load(BrokerConfig config) {
        return load(config, new LongAdder());
    }

    /** As {@link #load(BrokerConfig)}, counting logins refused "server busy" in {@code loginsRefusedBusy}. */
    public static SecurityRules load(BrokerConfig config, LongAdder loginsRefusedBusy) {
        SecurityRules rules = new SecurityRules(config, loginsRefusedBusy);
        try {
            rules.shared = SharedLinks.load(config.auth());
        } catch (RuntimeException e) {
            rules.close();
            throw e;
        }
        Map<ListenerConfig, Loaded> loaded = rules.readAll();
        for (Map.Entry<ListenerConfig, Loaded> e : loaded.entrySet()) {
            Loaded l = e.getValue();
            rules.byListener.put(e.getKey(), new ListenerSecurity(e.getKey().tls(), l.authenticator, l.authorizer));
        }
        // Dynamic security's administrators (roles that may use $CONTROL) administer the console too.
        for (DynamicSecurity ds : rules.dynamicSecurity.values()) {
            rules.addAdministrators(ds::mayControl);
        }
        return rules;
    }

    /**
     * The rules of a listener of this configuration. A listener record rebuilt elsewhere (say with
     * another field changed) is found by its port and address; an unknown one gets the most
     * restrictive rules: no anonymous clients.
     */
    public ListenerSecurity forListener(ListenerConfig listener) {
        ListenerSecurity s = byListener.get(listener);
        if (s != null) {
            return s;
        }
        for (Map.Entry<ListenerConfig, ListenerSecurity> e : byListener.entrySet()) {
            ListenerConfig l = e.getKey();
            if (l.port() == listener.port() && java.util.Objects.equals(l.bindAddress(), listener.bindAddress())) {
                return e.getValue();
            }
        }
        LOG.warn("No security rules for a listener on port {}; anonymous clients refused.", listener.port());
        return fallback;
    }

    /** Where every login is checked: bounded, fair, off the event loops when slow. */
    public LoginGate logins() {
        return logins;
    }

    /** The console's administrators: {@code console_admin} users and any source added since. */
    public Administrators administrators() {
        return username -> {
            for (Administrators a : administrators) {
                if (a.isAdministrator(username)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Adds a source of administrators (the hook for a role-based security plugin). */
    public void addAdministrators(Administrators more) {
        administrators.add(more);
    }

    /** Whether anyone can be an administrator: a {@code console_admin} line or another source. */
    public boolean hasAdministrators() {
        return !config.console().admins().isEmpty() || administrators.size() > 1;
    }

    /** The dynamic security plugin in force on a listener, or null. */
    public DynamicSecurity dynamicSecurity(ListenerConfig listener) {
        Path file = config.securityFor(listener).dynamicSecurityFile();
        return file == null ? null : dynamicSecurity.get(file);
    }

    /** Every dynamic security file in use, for the console and for disconnecting clients on changes. */
    public java.util.Collection<DynamicSecurity> dynamicSecurities() {
        return java.util.Collections.unmodifiableCollection(dynamicSecurity.values());
    }

    /**
     * Reads the password and ACL files again and puts the new rules in force on every listener
     * at once; connections stay open. On failure the old rules stay and the exception says why.
     */
    public void reload() {
        reload(config);
    }

    /**
     * As {@link #reload()}, with the security settings of a configuration read again (SIGHUP):
     * {@code allow_anonymous}, the files named, {@code per_listener_settings}. Its listeners are
     * the running ones, matched by socket.
     */
    public void reload(BrokerConfig newConfig) {
        BrokerConfig previous = config;
        config = newConfig;
        try {
            Map<ListenerConfig, Loaded> loaded = readAll();
            for (Map.Entry<ListenerConfig, Loaded> e : loaded.entrySet()) {
                byListener.get(e.getKey()).update(e.getValue().authenticator, e.getValue().authorizer);
            }
        } catch (RuntimeException e) {
            config = previous;
            throw e;
        }
    }

    private record Loaded(Authenticator authenticator, Authorizer authorizer) {
    }

    private Map<ListenerConfig, Loaded> readAll() {
        Map<Path, PasswordFile> passwordFiles = new HashMap<>();
        Map<Path, AclFile> aclFiles = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        Map<ListenerConfig, Loaded> out = new LinkedHashMap<>();
        // The listeners opened at start-up (the keys connections look their rules up by).
        for (ListenerConfig l : byListener.isEmpty() ? config.listeners() : byListener.keySet()) {
            SecurityConfig sc = config.securityFor(l);
            PasswordFile passwords = sc.passwordFile() == null ? null
                    : passwordFiles.computeIfAbsent(sc.passwordFile(), p -> PasswordFile.load(p, warnings::add));
            AclFile acl = sc.aclFile() == null ? null
                    : aclFiles.computeIfAbsent(sc.aclFile(), p -> AclFile.load(p, warnings::add));
            Authenticator authenticator;
            Authorizer authorizer;
            if (shared.isEmpty()) {
                authenticator = new PasswordAuthenticator(config.allowAnonymous(l), passwords);
                authorizer = acl == null ? Authorizer.ALLOW_ALL : acl;
            } else {
                AuthChain chain = new AuthChain(chainOrder(new FileLink(config.allowAnonymous(l), passwords, acl)));
                authenticator = chain;
                authorizer = chain;
            }
            if (sc.dynamicSecurityFile() != null) {
                // The plugin decides for the clients it knows and defers the others to the rest, as in Mosquitto.
                DynamicSecurity ds = dynamicSecurity.computeIfAbsent(sc.dynamicSecurityFile(), DynamicSecurity::open);
                authenticator = ds.authenticator(authenticator);
                authorizer = ds.authorizer();
            }
            out.put(l, new Loaded(authenticator, authorizer));
        }
        warnings.forEach(LOG::warn);
        return out;
    }

    /**
     * The documented order of a chain: the password and ACL files, then dynamic security (where
     * a later change adds it, it goes here), then the plugins and backends.
     */
    private List<AuthLink> chainOrder(FileLink files) {
        List<AuthLink> links = new ArrayList<>();
        links.add(files);
        links.addAll(shared.links());
        return links;
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
        logins.close();
    }
}
