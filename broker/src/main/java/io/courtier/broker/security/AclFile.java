package io.courtier.broker.security;

import io.courtier.broker.config.IoErrorText;
import io.courtier.codec.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mosquitto's ACL file ({@code acl_file}), with the semantics Debian's mosquitto 2.0.11 shows:
 * <ul>
 *   <li>{@code topic [read|write|readwrite|deny] FILTER} lines before the first {@code user} line
 *       apply to anonymous clients only; after {@code user NAME}, to that user name only (not a
 *       client id).</li>
 *   <li>{@code pattern [access] FILTER} lines apply to every client, anonymous or not, wherever
 *       they appear; a level {@code %c} stands for the client id, {@code %u} for the user name
 *       (a {@code %u} pattern never matches an anonymous client).</li>
 *   <li>A client's own rules are consulted first, then the patterns. In each group a matching
 *       {@code deny} wins over any grant; a grant of the right kind allows; nothing matching
 *       denies. A client whose id or user name holds {@code +} or {@code #} gets no pattern rule
 *       (it could otherwise widen a pattern to other clients' topics).</li>
 *   <li>Filters match as subscriptions do, and a topic starting with {@code $} is matched only by
 *       a filter that starts with {@code $} too.</li>
 *   <li>SUBSCRIBE is always granted; what a client may read is checked on each message
 *       delivered to it, so a denied topic is simply never received.</li>
 * </ul>
 * Immutable once loaded, so any thread may check it; a reload builds a new one.
 */
public final class AclFile implements Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    enum Access {
        READ, WRITE, READWRITE, DENY;

        boolean grants(boolean write) {
            return this == READWRITE || (write ? this == WRITE : this == READ);
        }
    }

    /** One line: its filter and what it grants (or denies). */
    record Rule(String filter, Access access) {
    }

    /** Rules of one group, denials kept apart because they are consulted first. */
    static final class RuleSet {
        final List<String> denied = new ArrayList<>();
        final List<Rule> granted = new ArrayList<>();

        void add(Rule r) {
            if (r.access() == Access.DENY) {
                denied.add(r.filter());
            } else {
                granted.add(r);
            }
        }

        boolean isEmpty() {
            return denied.isEmpty() && granted.isEmpty();
        }
    }

    private static final RuleSet NONE = new RuleSet();

    private final Path path;
    private final RuleSet anonymous;
    private final Map<String, RuleSet> users;
    private final RuleSet patterns;

    private AclFile(Path path, RuleSet anonymous, Map<String, RuleSet> users, RuleSet patterns) {
        this.path = path;
        this.anonymous = anonymous;
        this.users = users;
        this.patterns = patterns;
    }

    /** Reads an ACL file; a malformed line stops with {@code FILE:LINE: message}. */
    public static AclFile load(Path path, Consumer<String> warnings) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SecurityFileException("Unable to open acl_file " + path + ": " + IoErrorText.of(e), e);
        }
        RuleSet anonymous = new RuleSet();
        Map<String, RuleSet> users = new HashMap<>();
        RuleSet patterns = new RuleSet();
        RuleSet current = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String where = path + ":" + (i + 1) + ": ";
            if (raw.startsWith("#")) {
                continue;
            }
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] kv = splitFirst(line);
            switch (kv[0]) {
                case "user" -> {
                    if (kv[1].isEmpty()) {
                        throw new SecurityFileException(where + "Missing username in acl_file.");
                    }
                    current = users.computeIfAbsent(kv[1], k -> new RuleSet());
                }
                case "topic" -> current.add(rule(kv[1], where));
                case "pattern" -> {
                    Rule r = rule(kv[1], where);
                    if (!hasSubstitution(r.filter())) {
                        warnings.accept(where + "ACL pattern '" + r.filter() + "' does not contain '%c' or '%u'.");
                    }
                    patterns.add(r);
                }
                default -> throw new SecurityFileException(where + "Invalid line in acl_file: " + kv[0] + ".");
            }
        }
        return new AclFile(path, anonymous, Map.copyOf(users), patterns);
    }

    private static String[] splitFirst(String s) {
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return new String[] {s.substring(0, i), s.substring(i).strip()};
    }

    /** {@code [access] FILTER}: one word alone is the filter, with read and write access. */
    private static Rule rule(String rest, String where) {
        if (rest.isEmpty()) {
            throw new SecurityFileException(where + "Empty topic in acl_file.");
        }
        String[] kv = splitFirst(rest);
        Access access = Access.READWRITE;
        String filter = rest;
        if (!kv[1].isEmpty()) {
            access = switch (kv[0]) {
                case "read" -> Access.READ;
                case "write" -> Access.WRITE;
                case "readwrite" -> Access.READWRITE;
                case "deny" -> Access.DENY;
                default -> throw new SecurityFileException(where + "Invalid topic access type \"" + kv[0]
                        + "\" in acl_file.");
            };
            filter = kv[1];
        }
        if (!Topics.hasValidWildcards(filter)) {
            throw new SecurityFileException(where + "Invalid ACL topic \"" + filter + "\" in acl_file.");
        }
        return new Rule(filter, access);
    }

    private static boolean hasSubstitution(String filter) {
        return filter.contains("%c") || filter.contains("%u");
    }

    // ---- Authorizer ----------------------------------------------------------------------

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        return allowed(clientId, username, topic, true);
    }

    /** Mosquitto 2.0's acl_file grants every SUBSCRIBE; delivery is what it filters. */
    @Override
    public boolean canSubscribe(String clientId, String username, String filter) {
        return true;
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return allowed(clientId, username, topic, false);
    }

    boolean allowed(String clientId, String username, String topic, boolean write) {
        RuleSet own = username == null ? anonymous : users.getOrDefault(username, NONE);
        for (String filter : own.denied) {
            if (matches(filter, topic, null, null)) {
                return false;
            }
        }
        for (Rule r : own.granted) {
            if (r.access().grants(write) && matches(r.filter(), topic, null, null)) {
                return true;
            }
        }
        if (patterns.isEmpty()) {
            return false;
        }
        if (username != null && hasWildcard(username)) {
            LOG.info("ACL denying access to client with dangerous username \"{}\"", username);
            return false;
        }
        if (clientId != null && hasWildcard(clientId)) {
            LOG.info("ACL denying access to client with dangerous client id \"{}\"", clientId);
            return false;
        }
        for (String filter : patterns.denied) {
            if (matches(filter, topic, clientId, username)) {
                return false;
            }
        }
        for (Rule r : patterns.granted) {
            if (r.access().grants(write) && matches(r.filter(), topic, clientId, username)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('+') >= 0 || s.indexOf('#') >= 0;
    }

    /**
     * Whether an ACL filter matches a topic. With a client id (pattern rules), a filter level that
     * is exactly {@code %c} or {@code %u} stands for the client id or user name; the comparison
     * walks both strings in place, so a check allocates nothing.
     */
    public static boolean matches(String filter, String topic, String clientId, String username) {
        boolean dollarTopic = !topic.isEmpty() && topic.charAt(0) == '$';
        boolean dollarFilter = !filter.isEmpty() && filter.charAt(0) == '$';
        if (dollarTopic && !dollarFilter) {
            return false;
        }
        boolean substitute = clientId != null;
        int f = 0;
        int t = 0;
        int fn = filter.length();
        int tn = topic.length();
        while (true) {
            int fEnd = levelEnd(filter, f);
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') {
                return true;
            }
            String value = null;
            if (substitute && fLen == 2 && filter.charAt(f) == '%') {
                char which = filter.charAt(f + 1);
                if (which == 'c') {
                    value = clientId;
                } else if (which == 'u') {
                    if (username == null) {
                        return false;
                    }
                    value = username;
                }
            }
            int tEnd;
            if (value != null) {
                tEnd = t + value.length();
                if (tEnd > tn || !topic.regionMatches(t, value, 0, value.length())
                        || (tEnd < tn && topic.charAt(tEnd) != '/')) {
                    return false;
                }
            } else {
                tEnd = levelEnd(topic, t);
                boolean plus = fLen == 1 && filter.charAt(f) == '+';
                if (!plus && (fLen != tEnd - t || !filter.regionMatches(f, topic, t, fLen))) {
                    return false;
                }
            }
            boolean filterDone = fEnd == fn;
            boolean topicDone = tEnd == tn;
            if (filterDone || topicDone) {
                if (filterDone && topicDone) {
                    return true;
                }
                // "a/#" also matches "a" [MQTT-4.7.1-2].
                return topicDone && fEnd + 2 == fn && filter.charAt(fEnd + 1) == '#';
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    public Path path() {
        return path;
    }
}
