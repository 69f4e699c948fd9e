package io.courtier.cli.client;

import io.courtier.cli.client.ClientConfig.MessageMode;
import io.courtier.cli.client.ClientConfig.Tool;
import io.courtier.cli.client.UsageException.Hint;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads mosquitto_pub/mosquitto_sub command lines (version 2.0) into a {@link ClientConfig}:
 * the same flags, the same checks in the same order, the same error wording. Hand-written rather
 * than declared to picocli because Mosquitto's flags are not POSIX-shaped ({@code -h} is the host,
 * {@code -D} takes three or four words, numbers are read as C's {@code atoi} reads them).
 */
public final class ClientArgs {

    private static final Set<String> PUB_ONLY = Set.of("-f", "--file", "-l", "--stdin-line", "-m", "--message",
            "-n", "--null-message", "-r", "--retain", "--repeat", "--repeat-delay", "-s", "--stdin-file");
    private static final Set<String> SUB_ONLY = Set.of("-C", "-E", "-F", "-N", "--pretty", "-R", "--retained-only",
            "--remove-retained", "--retain-as-published", "-T", "--filter-out", "-U", "--unsubscribe", "-v",
            "--verbose", "-W", "--random-filter");

    private final ClientConfig c;
    private final String[] args;
    private int i;

    private ClientArgs(Tool tool, String[] args) {
        this.c = new ClientConfig(tool);
        this.args = args;
    }

    /** Parses and checks a whole command line. */
    public static ClientConfig parse(Tool tool, String... args) throws UsageException {
        return parse(tool, List.of(), args);
    }

    /** The same after {@code defaults} (from {@link ClientDefaults}), which the command line overrides. */
    public static ClientConfig parse(Tool tool, List<String> defaults, String... args) throws UsageException {
        List<String> all = new ArrayList<>(defaults);
        all.addAll(List.of(args));
        ClientArgs p = new ClientArgs(tool, all.toArray(String[]::new));
        p.readAll();
        p.check();
        return p.c;
    }

    private void readAll() throws UsageException {
        for (i = 0; i < args.length; i++) {
            String a = args[i];
            if (c.tool == Tool.PUB && SUB_ONLY.contains(a) || c.tool == Tool.SUB && PUB_ONLY.contains(a)) {
                throw new UsageException("Unknown option '" + a + "'.");
            }
            switch (a) {
                case "-A" -> c.bindAddress = value("-A argument given but no address specified.");
                case "--cafile" -> c.caFile = Path.of(value("--cafile argument given but no file specified."));
                case "--capath" -> c.caPath = Path.of(value("--capath argument given but no directory specified."));
                case "--cert" -> c.certFile = Path.of(value("--cert argument given but no file specified."));
                case "--key" -> c.keyFile = Path.of(value("--key argument given but no file specified."));
                case "--ciphers" -> unsupported(a, "--ciphers argument given but no ciphers specified.");
                case "--keyform" -> value("--keyform argument given but no keyform specified.");
                case "--tls-alpn" -> c.tlsAlpn = value("--tls-alpn argument given but no protocol specified.");
                case "--tls-engine" -> unsupported(a, "--tls-engine argument given but no engine_id specified.");
                case "--tls-engine-kpass-sha1" -> unsupported(a, "--tls-engine-kpass-sha1 argument given but no kpass sha1 specified.");
                case "--tls-use-os-certs" -> c.tlsUseOsCerts = true;
                case "--tls-version" -> c.tlsVersion = value("--tls-version argument given but no version specified.");
                case "--insecure" -> c.insecure = true;
                case "--psk" -> unsupported(a, "--psk argument given but no key specified.");
                case "--psk-identity" -> unsupported(a, "--psk-identity argument given but no identity specified.");
                case "--proxy" -> unsupported(a, "--proxy argument given but no proxy url specified.");
                case "--unix" -> unsupported(a, "--unix argument given but no socket path specified.");
                case "-S" -> unsupported(a);
                case "-c", "--disable-clean-session" -> c.cleanSession = false;
                case "-d", "--debug" -> c.debug = true;
                case "-D", "--property" -> property();
                case "--help" -> throw new UsageException("", Hint.HELP);
                case "-h", "--host" -> c.host = value("-h argument given but no host specified.");
                case "-i", "--id" -> c.clientId = value("-i argument given but no id specified.");
                case "-I", "--id-prefix" -> c.idPrefix = value("-I argument given but no id prefix specified.");
                case "-k", "--keepalive" -> {
                    c.keepAlive = atoi(value("-k argument given but no keepalive specified."));
                    if (c.keepAlive < 5 || c.keepAlive > 65535) {
                        throw new UsageException("Invalid keepalive given, it must be between 5 and 65535 inclusive.");
                    }
                }
                case "-L", "--url" -> url(value("-L argument given but no URL specified."));
                case "-M" -> {
                    c.maxInflight = atoi(value("-M argument given but max_inflight not specified."));
                    if (c.maxInflight < 1) {
                        throw new UsageException("Maximum inflight messages must be greater than 0.");
                    }
                }
                case "--nodelay" -> c.noDelay = true;
                case "-p", "--port" -> {
                    c.port = atoi(value("-p argument given but no port specified."));
                    if (c.port < 0 || c.port > 65535) {
                        throw new UsageException("Invalid port given: " + c.port);
                    }
                }
                case "-P", "--pw" -> c.password = value("-P argument given but no password specified.");
                case "-q", "--qos" -> {
                    c.qos = atoi(value("-q argument given but no QoS specified."));
                    if (c.qos < 0 || c.qos > 2) {
                        throw new UsageException("Invalid QoS given: " + c.qos);
                    }
                }
                case "--quiet" -> c.quiet = true;
                case "-t", "--topic" -> topic(value("-t argument given but no topic specified."));
                case "-u", "--username" -> c.username = value("-u argument given but no username specified.");
                case "-V", "--protocol-version" -> version(value("--protocol-version argument given but no version specified."));
                case "-x" -> sessionExpiry(value("-x argument given but no session expiry interval specified."));
                case "--will-payload" -> c.willPayload = value("--will-payload argument given but no will payload specified.")
                        .getBytes(StandardCharsets.UTF_8);
                case "--will-qos" -> {
                    c.willQos = atoi(value("--will-qos argument given but no will QoS specified."));
                    if (c.willQos < 0 || c.willQos > 2) {
                        throw new UsageException("Invalid will QoS " + c.willQos + ".");
                    }
                }
                case "--will-retain" -> c.willRetain = true;
                case "--will-topic" -> {
                    c.willTopic = value("--will-topic argument given but no will topic specified.");
                    if (!Topics.isValidTopicName(c.willTopic)) {
                        throw new UsageException("Invalid will topic '" + c.willTopic + "', does it contain '+' or '#'?");
                    }
                }
                // pub
                case "-f", "--file" -> {
                    String f = value("-f argument given but no file specified.");
                    mode(MessageMode.FILE);
                    c.file = Path.of(f);
                }
                case "-l", "--stdin-line" -> mode(MessageMode.STDIN_LINE);
                case "-m", "--message" -> {
                    String m = value("-m argument given but no message specified.");
                    mode(MessageMode.COMMAND_LINE);
                    c.message = m.getBytes(StandardCharsets.UTF_8);
                }
                case "-n", "--null-message" -> {
                    mode(MessageMode.NULL);
                    c.message = new byte[0];
                }
                case "-r", "--retain" -> c.retain = true;
                case "--repeat" -> {
                    c.repeatCount = atoi(value("--repeat argument given but no count specified."));
                    if (c.repeatCount < 1) {
                        throw new UsageException("--repeat argument must be >0.");
                    }
                }
                case "--repeat-delay" -> {
                    c.repeatDelaySeconds = atof(value("--repeat-delay argument given but no time specified."));
                    if (c.repeatDelaySeconds < 0) {
                        throw new UsageException("--repeat-delay argument must be >=0.0.");
                    }
                }
                case "-s", "--stdin-file" -> mode(MessageMode.STDIN_FILE);
                // sub
                case "-C" -> {
                    c.messageCount = atoi(value("-C argument given but no count specified."));
                    if (c.messageCount < 1) {
                        throw new UsageException("Invalid message count \"" + c.messageCount + "\".");
                    }
                }
                case "-E" -> c.exitAfterSubscribe = true;
                case "-F" -> {
                    c.format = value("-F argument given but no format specified.");
                    OutputFormat.validate(c.format);
                }
                case "-N" -> c.eol = false;
                case "--pretty" -> c.pretty = true;
                case "-R" -> c.noRetained = true;
                case "--retained-only" -> c.retainedOnly = true;
                case "--remove-retained" -> c.removeRetained = true;
                case "--retain-as-published" -> c.retainAsPublished = true;
                case "--random-filter" -> {
                    c.randomFilter = atof(value("--random-filter argument given but no chance specified."));
                    if (c.randomFilter < 0.1 || c.randomFilter > 100.0) {
                        throw new UsageException("--random-filter chance must be between 0.1-100.0");
                    }
                }
                case "-T", "--filter-out" -> {
                    String t = value("-T argument given but no topic filter specified.");
                    if (!Topics.isValidTopicFilter(t)) {
                        throw new UsageException("Invalid filter topic '" + t + "', are all '+' and '#' wildcards correct?");
                    }
                    c.filterOut.add(t);
                }
                case "-U", "--unsubscribe" -> {
                    String t = value("-U argument given but no unsubscribe topic specified.");
                    if (!Topics.isValidTopicFilter(t)) {
                        throw new UsageException("Invalid unsubscribe topic '" + t
                                + "', are all '+' and '#' wildcards correct?");
                    }
                    c.unsubscribeTopics.add(t);
                }
                case "-v", "--verbose" -> c.verbose = true;
                case "-W" -> {
                    c.timeoutSeconds = atoi(value("-W argument given but no timeout specified."));
                    if (c.timeoutSeconds < 1) {
                        throw new UsageException("Invalid timeout \"" + c.timeoutSeconds + "\".");
                    }
                }
                default -> throw new UsageException("Unknown option '" + a + "'.");
            }
        }
    }

    /** The checks made once every flag is read, in Mosquitto's order. */
    private void check() throws UsageException {
        if (c.willPayload != null && c.willTopic == null) {
            throw new UsageException("Will payload given, but no will topic given.");
        }
        if (c.willRetain && c.willTopic == null) {
            throw new UsageException("Will retain given, but no will topic given.");
        }
        if (c.clientId != null && c.idPrefix != null) {
            throw new UsageException("-i and -I argument cannot be used together.");
        }
        if ((c.certFile == null) != (c.keyFile == null)) {
            throw new UsageException("Both certfile and keyfile must be provided if one of them is set.");
        }
        if (c.version == MqttVersion.V5 && !c.cleanSession && c.sessionExpiry == -2) {
            // -c in v5: the session never expires unless -x says otherwise.
            c.sessionExpiry = -1;
        }
        if (c.version == MqttVersion.V5 && c.clientId == null && c.sessionExpiry == -1) {
            throw new UsageException("You must provide a client id if you are using an infinite session expiry interval.");
        }
        if (!c.cleanSession && c.clientId == null) {
            throw new UsageException("You must provide a client id if you are using the -c option.");
        }
        if (c.tool == Tool.SUB) {
            if (c.noRetained && c.retainedOnly) {
                throw new UsageException("\nError: Combining '-R' and '--retained-only' makes no sense.", Hint.NONE);
            }
            if (c.topics.isEmpty()) {
                throw new UsageException("You must specify a topic to subscribe to.");
            }
        } else if (c.topic == null || c.messageMode == MessageMode.NONE) {
            throw new UsageException("Both topic and message must be supplied.", Hint.FULL_USAGE);
        }
    }

    private String value(String missing) throws UsageException {
        if (i + 1 >= args.length) {
            throw new UsageException(missing);
        }
        return args[++i];
    }

    /** Flags of libmosquitto features Courtier does not have (PSK, engines, proxies, unix sockets, SRV). */
    private static void unsupported(String flag) throws UsageException {
        throw new UsageException(flag + " is not supported by courtier.");
    }

    /** The same for a flag with a value: a missing value is reported first, as for any flag. */
    private void unsupported(String flag, String missing) throws UsageException {
        value(missing);
        unsupported(flag);
    }

    private void mode(MessageMode mode) throws UsageException {
        if (c.messageMode != MessageMode.NONE) {
            throw new UsageException("Only one type of message can be sent at once.");
        }
        c.messageMode = mode;
    }

    private void topic(String t) throws UsageException {
        if (c.tool == Tool.PUB) {
            if (!Topics.isValidTopicName(t)) {
                throw new UsageException("Invalid publish topic '" + t + "', does it contain '+' or '#'?");
            }
            c.topic = t;
        } else {
            if (!Topics.isValidTopicFilter(t)) {
                throw new UsageException("Invalid subscription topic '" + t + "', are all '+' and '#' wildcards correct?");
            }
            c.topics.add(t);
        }
    }

    private void version(String v) throws UsageException {
        c.version = switch (v) {
            case "mqttv31", "31" -> MqttVersion.V3_1;
            case "mqttv311", "311" -> MqttVersion.V3_1_1;
            case "mqttv5", "5" -> MqttVersion.V5;
            default -> throw new UsageException("Invalid protocol version argument given.");
        };
        c.versionGiven = true;
    }

    private void sessionExpiry(String v) throws UsageException {
        if (v.equals("∞") || v.equals("-1")) {
            c.sessionExpiry = -1;
            return;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("session-expiry-interval not a number.");
        }
        if (n < -1 || n > 4294967295L) {
            throw new UsageException("session-expiry-interval out of range.");
        }
        c.sessionExpiry = n == 4294967295L ? -1 : n;
    }

    private void property() throws UsageException {
        String missing = "--property argument given but not enough arguments specified.";
        if (i + 3 >= args.length) {
            throw new UsageException(missing);
        }
        int n = PropertyArgs.arity(args[i + 2]);
        if (i + n >= args.length) {
            throw new UsageException(missing);
        }
        String[] words = new String[n];
        System.arraycopy(args, i + 1, words, 0, n);
        i += n;
        PropertyArgs.apply(c, words);
        if (!c.versionGiven) {
            // Properties exist in MQTT 5 only: asking for one asks for v5 (unless -V says otherwise).
            c.version = MqttVersion.V5;
        }
    }

    /** {@code mqtt(s)://[user[:password]@]host[:port]/topic}, and {@code ws(s)://} likewise (path /mqtt). */
    private void url(String url) throws UsageException {
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
        switch (scheme) {
            case "mqtt" -> { }
            case "mqtts" -> c.tlsFromUrl = true;
            case "ws" -> c.webSocketPath = "/mqtt";
            case "wss" -> {
                c.webSocketPath = "/mqtt";
                c.tlsFromUrl = true;
            }
            default -> throw new UsageException("unsupported URL scheme.");
        }
        String rest = url.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new UsageException("Invalid URL for -L argument specified - topic missing.", Hint.SEE_HELP);
        }
        String authority = rest.substring(0, slash);
        String topic = rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                c.username = userInfo.substring(0, colon);
                c.password = userInfo.substring(colon + 1);
            } else {
                c.username = userInfo;
            }
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']') < colon) {
            c.port = atoi(authority.substring(colon + 1));
            authority = authority.substring(0, colon);
        }
        if (authority.startsWith("[") && authority.endsWith("]")) {
            authority = authority.substring(1, authority.length() - 1);
        }
        c.host = authority;
        topic(topic);
    }

    /** C's atoi: optional blanks and sign, then digits up to the first non-digit; 0 when none. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && v <= Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        v = negative ? -v : v;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** C's atof, near enough: the longest leading decimal number, 0 when none. */
    static double atof(String s) {
        String t = s.trim();
        int end = 0;
        while (end < t.length() && "+-.0123456789eE".indexOf(t.charAt(end)) >= 0) {
            end++;
        }
        while (end > 0) {
            try {
                return Double.parseDouble(t.substring(0, end));
            } catch (NumberFormatException e) {
                end--;
            }
        }
        return 0;
    }
}
