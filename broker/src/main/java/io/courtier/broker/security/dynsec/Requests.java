package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by the command families, with Mosquitto's error strings, and the JSON every {@code get} answers with. */
final class Requests {
    private Requests() {
    }

    /**
     * A required name member: its value, or null after recording Mosquitto's error
     * ("Invalid/missing username", "Username not valid UTF-8").
     */
    static String name(JsonNode request, String member, Outcome out, String missing) {
        String v = Fields.string(request, member);
        if (v == null) {
            out.error(missing);
        }
        return v;
    }

    /** A request's two required names (say username and rolename), read in Mosquitto's order. */
    record Names(String first, String second) {
    }

    /** Both names, or null after the error of the first one missing. */
    static Names names(JsonNode request, Outcome out, String first, String firstMissing, String second,
                       String secondMissing) {
        String a = name(request, first, out, firstMissing);
        String b = a == null ? null : name(request, second, out, secondMissing);
        return b == null ? null : new Names(a, b);
    }

    /** Whether the role exists; records "Role not found" when it does not. */
    static boolean roleExists(DynsecData d, String rolename, Outcome out) {
        if (!d.roles.containsKey(rolename)) {
            out.error("Role not found");
            return false;
        }
        return true;
    }

    /**
     * An optional text member: absent is fine (returns {@code absent}); present but not a string
     * records the error and returns null.
     */
    static boolean optionalTextOk(JsonNode request, String member, Outcome out, String invalid) {
        JsonNode n = Fields.get(request, member);
        if (n != null && !n.isTextual()) {
            out.error(invalid);
            return false;
        }
        return true;
    }

    /** {@code textname} and {@code textdescription}, both optional: false after the error of a non-string. */
    static boolean descriptionsOk(JsonNode request, Outcome out) {
        return optionalTextOk(request, "textname", out, "Invalid/missing textname")
                && optionalTextOk(request, "textdescription", out, "Invalid/missing textdescription");
    }

    /**
     * A {@code roles} (or {@code groups}) array of {@code {"rolename": ..., "priority": ...}}; every
     * name must exist. Returns null after recording the error.
     */
    static List<Membership> memberships(JsonNode request, String member, String key, java.util.Map<String, ?> known,
                                        Outcome out, String invalid, String notFound) {
        JsonNode n = Fields.get(request, member);
        List<Membership> list = new ArrayList<>();
        if (n == null) {
            return list;
        }
        if (!n.isArray()) {
            out.error(invalid);
            return null;
        }
        for (JsonNode m : n) {
            String name = Fields.string(m, key);
            if (name == null) {
                out.error(invalid);
                return null;
            }
            if (!known.containsKey(name)) {
                out.error(notFound);
                return null;
            }
            Membership.put(list, new Membership(name, Fields.integer(m, "priority", Membership.UNSET)));
        }
        return list;
    }

    /** A {@code roles} array, every role existing; null after the error. */
    static List<Membership> roles(DynsecData d, JsonNode request, Outcome out) {
        return memberships(request, "roles", "rolename", d.roles, out,
                "'roles' not an array or missing/invalid rolename", "Role not found");
    }

    /** A {@code groups} array, every group existing; null after the error. */
    static List<Membership> groups(DynsecData d, JsonNode request, Outcome out) {
        return memberships(request, "groups", "groupname", d.groups, out,
                "'groups' not an array or missing/invalid groupname", "Group not found");
    }

    /**
     * A list command's data: {@code totalCount} and one page of names, or of whole objects under
     * {@code "verbose": true}.
     */
    static <T> void list(Outcome out, JsonNode request, String key, java.util.Collection<T> all,
                         java.util.function.Function<T, String> name,
                         java.util.function.BiConsumer<ObjectNode, T> verbose) {
        boolean full = Fields.bool(request, "verbose", false);
        ObjectNode data = out.data();
        data.put("totalCount", all.size());
        ArrayNode items = data.putArray(key);
        for (T t : page(all, request)) {
            if (full) {
                verbose.accept(items.addObject(), t);
            } else {
                items.add(name.apply(t));
            }
        }
    }

    /** {@code count} and {@code offset} paging of a list command: a count below 1 means all. */
    static <T> List<T> page(java.util.Collection<T> all, JsonNode request) {
        int count = Fields.integer(request, "count", -1);
        int offset = Math.max(0, Fields.integer(request, "offset", 0));
        List<T> out = new ArrayList<>();
        int i = 0;
        for (T t : all) {
            if (i++ < offset) {
                continue;
            }
            if (count > 0 && out.size() >= count) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    static ObjectNode client(ObjectNode o, DynClient c) {
        o.put("username", c.username);
        DynsecFile.putIfSet(o, "clientid", c.clientid);
        DynsecFile.putIfSet(o, "textname", c.textname);
        DynsecFile.putIfSet(o, "textdescription", c.textdescription);
        if (c.disabled) {
            o.put("disabled", true);
        }
        DynsecFile.memberships(o.putArray("roles"), "rolename", c.roles);
        DynsecFile.memberships(o.putArray("groups"), "groupname", c.groups);
        return o;
    }

    static ObjectNode group(ObjectNode o, DynGroup g) {
        o.put("groupname", g.groupname);
        DynsecFile.putIfSet(o, "textname", g.textname);
        DynsecFile.putIfSet(o, "textdescription", g.textdescription);
        ArrayNode clients = o.putArray("clients");
        for (Membership m : g.clients) {
            clients.addObject().put("username", m.name()); // Mosquitto lists members without their priority
        }
        DynsecFile.memberships(o.putArray("roles"), "rolename", g.roles);
        return o;
    }

    static ObjectNode role(ObjectNode o, DynRole r) {
        o.put("rolename", r.rolename);
        DynsecFile.putIfSet(o, "textname", r.textname);
        DynsecFile.putIfSet(o, "textdescription", r.textdescription);
        DynsecFile.acls(o.putArray("acls"), r.acls);
        return o;
    }
}
