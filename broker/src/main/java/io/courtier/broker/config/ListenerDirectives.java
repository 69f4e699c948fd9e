package io.courtier.broker.config;

/**
 * Directives that configure a listener: {@code listener} itself, the deprecated default
 * listener's {@code port}/{@code bind_address}, the per-listener network options and TLS.
 */
final class ListenerDirectives {

    private ListenerDirectives() {
    }

    /** Applies a listener directive; false if {@code l} is not one. */
    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        switch (l.name()) {
            case "listener" -> listener(l, s);
            case "port" -> {
                // Always the default listener, even after listener blocks (as Mosquitto).
                ListenerDraft d = s.usedDefaultListener(l);
                d.port = port(l, Values.word(l));
                d.file = l.file();
                d.line = l.line();
            }
            case "bind_address" -> s.usedDefaultListener(l).bindAddress = Values.word(l);
            case "bind_interface" -> s.listenerFor(l).bindInterface = Values.word(l);
            case "socket_domain" -> s.listenerFor(l).socketDomain = Values.oneOf(l, "ipv4", "ipv6");
            case "protocol" -> s.listenerFor(l).protocol = protocol(l);
            case "max_connections" -> {
                long n = Values.number(l);
                s.listenerFor(l).maxConnections = n < 0 ? -1 : (int) Math.min(n, Integer.MAX_VALUE);
            }
            case "mount_point" -> mountPoint(l, s);
            case "http_dir" -> s.listenerFor(l).httpDir = Values.readableDirectory(l).toString();
            default -> {
                return tls(l, s);
            }
        }
        return true;
    }

    private static void listener(ConfigLine l, ConfigState s) throws ConfigException {
        String[] words = Values.string(l).split("\\s+");
        if (words.length > 2) {
            throw l.error("Invalid listener value (" + l.value() + "): expected PORT [ADDRESS].");
        }
        int port = port(l, words[0]);
        String address = words.length > 1 ? words[1] : null;
        s.current = new ListenerDraft(l.file(), l.line(), port, address);
        if (port == 0 && address != null && address.startsWith("/")) {
            // Mosquitto's Unix socket listener. Its options are still read and checked, into a
            // block that is never opened, so the rest of the file keeps its meaning.
            s.warn(l, "listener on Unix socket " + address + " is not supported by Courtier; skipped.");
            return;
        }
        s.listeners.add(s.current);
    }

    private static int port(ConfigLine l, String value) throws ConfigException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw l.error("Invalid port value (" + value + "): must be a number between 0 and 65535.");
    }

    private static ListenerProtocol protocol(ConfigLine l) throws ConfigException {
        return switch (Values.oneOf(l, "mqtt", "websockets", "http")) {
            case "websockets" -> ListenerProtocol.WEBSOCKETS;
            case "http" -> ListenerProtocol.HTTP;
            default -> ListenerProtocol.MQTT;
        };
    }

    private static void mountPoint(ConfigLine l, ConfigState s) throws ConfigException {
        if (s.current == null) {
            throw l.error("You must create a listener before using the mount_point option in the configuration file.");
        }
        String v = Values.string(l);
        if (v.contains("+") || v.contains("#")) {
            throw l.error("Invalid mount_point '" + v + "': it must not contain a wildcard character.");
        }
        s.current.mountPoint = v;
    }

    /** The certificate-based TLS options of a listener. */
    private static boolean tls(ConfigLine l, ConfigState s) throws ConfigException {
        ListenerDraft d = s.current;
        boolean enables = true; // a "false" switch does not ask for TLS
        switch (l.name()) {
            case "certfile" -> (d = s.listenerFor(l)).certfile = Values.readableFile(l);
            case "keyfile" -> (d = s.listenerFor(l)).keyfile = Values.readableFile(l);
            case "cafile" -> (d = s.listenerFor(l)).cafile = Values.readableFile(l);
            case "capath" -> (d = s.listenerFor(l)).capath = Values.readableDirectory(l);
            case "crlfile" -> (d = s.listenerFor(l)).crlfile = Values.readableFile(l);
            case "tls_version" -> {
                String v = Values.string(l);
                if (!v.equals("tlsv1.2") && !v.equals("tlsv1.3")) {
                    throw l.error("Invalid tls_version value (" + v + "): Courtier supports tlsv1.2 and tlsv1.3.");
                }
                (d = s.listenerFor(l)).tlsVersion = v;
            }
            case "ciphers" -> (d = s.listenerFor(l)).ciphers = Values.word(l);
            case "ciphers_tls1.3" -> (d = s.listenerFor(l)).ciphersTls13 = Values.word(l);
            case "require_certificate" -> enables = (d = s.listenerFor(l)).requireCertificate = Values.bool(l);
            case "use_identity_as_username" -> enables = (d = s.listenerFor(l)).useIdentityAsUsername = Values.bool(l);
            case "use_subject_as_username" -> enables = (d = s.listenerFor(l)).useSubjectAsUsername = Values.bool(l);
            default -> {
                return false;
            }
        }
        if (enables && d.firstTlsDirective == null) {
            d.firstTlsDirective = l.name();
        }
        return true;
    }
}
