package io.courtier.broker.security.dynsec;

import io.courtier.broker.routing.TopicMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable copy of what the connections need from the plugin's state: each client's login
 * rules and its ACLs flattened into the order Mosquitto evaluates them. Rebuilt after every
 * change and published through a volatile field, so that a check on the delivery path takes no
 * lock and sees either the state before a command or after it.
 *
 * <p>Mosquitto's order: the client's roles by priority, then its groups by priority and each
 * group's roles by priority; within a role its ACLs of the kind asked by priority (for a
 * subscription, the literal ones before the pattern ones). The first ACL that matches decides;
 * when none does, the default access does.
 */
final class AccessSnapshot {

    static final int SEND = 0;
    static final int RECEIVE = 1;
    static final int SUBSCRIBE = 2;
    static final int UNSUBSCRIBE = 3;
    private static final Acl[] NONE = new Acl[0];

    /** What a client with this user name may do. */
    record User(String clientid, boolean disabled, Credentials password, Acl[][] acls) {
    }

    private final Map<String, User> users;
    private final Acl[][] anonymous;
    private final DefaultAccess defaults;

    private AccessSnapshot(Map<String, User> users, Acl[][] anonymous, DefaultAccess defaults) {
        this.users = users;
        this.anonymous = anonymous;
        this.defaults = defaults;
    }

    static AccessSnapshot of(DynsecData d) {
        Map<String, User> users = new HashMap<>();
        for (DynClient c : d.clients.values()) {
            List<DynRole> roles = new ArrayList<>();
            addRoles(d, c.roles, roles);
            for (Membership g : c.groups) {
                DynGroup group = d.groups.get(g.name());
                if (group != null) {
                    addRoles(d, group.roles, roles);
                }
            }
            users.put(c.username, new User(c.clientid, c.disabled, c.password, flatten(roles)));
        }
        List<DynRole> anonymousRoles = new ArrayList<>();
        DynGroup anonymousGroup = d.anonymousGroup == null ? null : d.groups.get(d.anonymousGroup);
        if (anonymousGroup != null) {
            addRoles(d, anonymousGroup.roles, anonymousRoles);
        }
        return new AccessSnapshot(Map.copyOf(users), flatten(anonymousRoles), d.defaults);
    }

    private static void addRoles(DynsecData d, List<Membership> from, List<DynRole> into) {
        for (Membership m : from) {
            DynRole r = d.roles.get(m.name());
            if (r != null) {
                into.add(r);
            }
        }
    }

    private static Acl[][] flatten(List<DynRole> roles) {
        List<List<Acl>> lists = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (DynRole r : roles) {
            for (Acl a : r.acls) { // already by kind (literal before pattern), then priority
                lists.get(kind(a.type())).add(a);
            }
        }
        Acl[][] out = new Acl[4][];
        for (int i = 0; i < 4; i++) {
            out[i] = lists.get(i).isEmpty() ? NONE : lists.get(i).toArray(NONE);
        }
        return out;
    }

    private static int kind(AclType t) {
        return switch (t) {
            case PUBLISH_CLIENT_SEND -> SEND;
            case PUBLISH_CLIENT_RECEIVE -> RECEIVE;
            case SUBSCRIBE_LITERAL, SUBSCRIBE_PATTERN -> SUBSCRIBE;
            case UNSUBSCRIBE_LITERAL, UNSUBSCRIBE_PATTERN -> UNSUBSCRIBE;
        };
    }

    User user(String username) {
        return users.get(username);
    }

    /**
     * Whether the client with this user name (null: anonymous, ruled by the anonymous group) may
     * do {@code kind} on a topic (publish) or filter (subscribe). A user name the plugin does not
     * know gets nothing: it cannot have logged in through the plugin.
     */
    boolean allows(String username, int kind, String topic) {
        Acl[][] acls;
        if (username == null) {
            acls = anonymous;
        } else {
            User u = users.get(username);
            if (u == null) {
                return false;
            }
            acls = u.acls();
        }
        for (Acl a : acls[kind]) {
            if (matches(a, topic)) {
                return a.allow();
            }
        }
        return defaults.get(kind);
    }

    private static boolean matches(Acl a, String topic) {
        return switch (a.type()) {
            case PUBLISH_CLIENT_SEND, PUBLISH_CLIENT_RECEIVE -> TopicMatcher.matches(a.topic(), topic);
            case SUBSCRIBE_LITERAL, UNSUBSCRIBE_LITERAL -> a.topic().equals(topic);
            case SUBSCRIBE_PATTERN, UNSUBSCRIBE_PATTERN -> covers(a.topic(), topic);
        };
    }

    /**
     * Whether every topic a subscription filter can match is matched by the ACL's filter: level
     * by level, an ACL '#' covers the rest, an ACL '+' covers any one level (a '+' too), and a
     * literal level covers only itself; a '#' in the subscription needs a '#' in the ACL.
     */
    static boolean covers(String aclFilter, String filter) {
        String[] acl = aclFilter.split("/", -1);
        String[] sub = filter.split("/", -1);
        for (int i = 0; i < acl.length; i++) {
            if (acl[i].equals("#")) {
                return true;
            }
            if (i >= sub.length || sub[i].equals("#")) {
                return false;
            }
            if (!acl[i].equals("+") && !acl[i].equals(sub[i])) {
                return false;
            }
        }
        return acl.length == sub.length;
    }
}
