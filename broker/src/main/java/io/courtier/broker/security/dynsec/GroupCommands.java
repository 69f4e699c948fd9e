package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * createGroup, deleteGroup, modifyGroup, addGroupClient, removeGroupClient, addGroupRole,
 * removeGroupRole, getGroup, listGroups, setAnonymousGroup, getAnonymousGroup.
 */
final class GroupCommands {
    private GroupCommands() {
    }

    static void register(Map<String, Command> into) {
        into.put("createGroup", GroupCommands::create);
        into.put("deleteGroup", GroupCommands::delete);
        into.put("modifyGroup", GroupCommands::modify);
        into.put("addGroupClient", GroupCommands::addClient);
        into.put("removeGroupClient", GroupCommands::removeClient);
        into.put("addGroupRole", GroupCommands::addRole);
        into.put("removeGroupRole", GroupCommands::removeRole);
        into.put("getGroup", GroupCommands::get);
        into.put("listGroups", GroupCommands::list);
        into.put("setAnonymousGroup", GroupCommands::setAnonymous);
        into.put("getAnonymousGroup", GroupCommands::getAnonymous);
    }

    private static String groupname(JsonNode r, Outcome o) {
        return Requests.name(r, "groupname", o, "Invalid/missing groupname");
    }

    private static DynGroup find(DynsecData d, String name, Outcome o) {
        DynGroup g = d.groups.get(name);
        if (g == null) {
            o.error("Group not found");
        }
        return g;
    }

    private static void create(DynsecData d, JsonNode r, Outcome o) {
        String name = groupname(r, o);
        if (name == null || !Requests.descriptionsOk(r, o)) {
            return;
        }
        if (d.groups.containsKey(name)) {
            o.error("Group already exists");
            return;
        }
        List<Membership> roles = Requests.roles(d, r, o);
        if (roles == null) {
            return;
        }
        DynGroup g = new DynGroup(name);
        g.textname = Fields.string(r, "textname");
        g.textdescription = Fields.string(r, "textdescription");
        g.roles.addAll(roles);
        d.groups.put(name, g);
        o.changed();
    }

    private static void delete(DynsecData d, JsonNode r, Outcome o) {
        String name = groupname(r, o);
        DynGroup g = name == null ? null : find(d, name, o);
        if (g == null) {
            return;
        }
        if (name.equals(d.anonymousGroup)) {
            // Mosquitto 2.0.11 crashes here; later versions refuse, as we do.
            o.error("Deleting the anonymous group is forbidden");
            return;
        }
        o.kickGroup(d, g);
        for (Membership m : List.copyOf(g.clients)) {
            DynClient c = d.clients.get(m.name());
            if (c != null) {
                ClientCommands.leave(c, g);
            }
        }
        d.groups.remove(name);
        o.changed();
    }

    private static void modify(DynsecData d, JsonNode r, Outcome o) {
        String name = groupname(r, o);
        DynGroup g = name == null ? null : find(d, name, o);
        if (g == null || !Requests.descriptionsOk(r, o)) {
            return;
        }
        List<Membership> roles = Requests.roles(d, r, o);
        if (roles == null) {
            return;
        }
        List<Membership> clients = Requests.memberships(r, "clients", "username", d.clients, o,
                "'clients' not an array or missing/invalid username", "Client not found");
        if (clients == null) {
            return;
        }
        if (Fields.present(r, "textname")) {
            g.textname = Fields.string(r, "textname");
        }
        if (Fields.present(r, "textdescription")) {
            g.textdescription = Fields.string(r, "textdescription");
        }
        o.kickGroup(d, g);
        if (Fields.present(r, "roles")) {
            g.roles.clear();
            g.roles.addAll(roles);
        }
        if (Fields.present(r, "clients")) {
            for (Membership m : List.copyOf(g.clients)) {
                ClientCommands.leave(d.clients.get(m.name()), g);
            }
            for (Membership m : clients) {
                ClientCommands.join(d, d.clients.get(m.name()), g, m.priority());
            }
            o.kickGroup(d, g);
        }
        o.changed();
    }

    /** The group and client an add/removeGroupClient names (the client looked up first, as Mosquitto does). */
    private record Member(DynGroup group, DynClient client) {
    }

    private static Member member(DynsecData d, JsonNode r, Outcome o) {
        Requests.Names n = Requests.names(r, o, "groupname", "Invalid/missing groupname", "username",
                "Invalid/missing username");
        if (n == null) {
            return null;
        }
        DynClient c = d.clients.get(n.second());
        if (c == null) {
            o.error("Client not found");
            return null;
        }
        DynGroup g = find(d, n.first(), o);
        return g == null ? null : new Member(g, c);
    }

    private static void addClient(DynsecData d, JsonNode r, Outcome o) {
        Member m = member(d, r, o);
        if (m == null) {
            return;
        }
        if (Membership.contains(m.client().groups, m.group().groupname)) {
            o.error("Client is already in this group");
            return;
        }
        ClientCommands.join(d, m.client(), m.group(), Fields.integer(r, "priority", Membership.UNSET));
        o.kickUsers.add(m.client().username);
        o.changed();
    }

    private static void removeClient(DynsecData d, JsonNode r, Outcome o) {
        Member m = member(d, r, o);
        if (m == null) {
            return;
        }
        ClientCommands.leave(m.client(), m.group());
        o.kickUsers.add(m.client().username);
        o.changed();
    }

    /** The group an add/removeGroupRole names, once its role is known to exist; null after the error. */
    private static DynGroup withRole(DynsecData d, JsonNode r, Outcome o) {
        Requests.Names n = Requests.names(r, o, "groupname", "Invalid/missing groupname", "rolename",
                "Invalid/missing rolename");
        DynGroup g = n == null ? null : find(d, n.first(), o);
        return g != null && Requests.roleExists(d, n.second(), o) ? g : null;
    }

    private static void addRole(DynsecData d, JsonNode r, Outcome o) {
        DynGroup g = withRole(d, r, o);
        if (g == null) {
            return;
        }
        String rolename = Fields.string(r, "rolename");
        if (Membership.contains(g.roles, rolename)) {
            o.error("Group is already in this role");
            return;
        }
        Membership.put(g.roles, new Membership(rolename, Fields.integer(r, "priority", Membership.UNSET)));
        o.kickGroup(d, g);
        o.changed();
    }

    private static void removeRole(DynsecData d, JsonNode r, Outcome o) {
        DynGroup g = withRole(d, r, o);
        if (g == null) {
            return;
        }
        Membership.remove(g.roles, Fields.string(r, "rolename"));
        o.kickGroup(d, g);
        o.changed();
    }

    private static void get(DynsecData d, JsonNode r, Outcome o) {
        String name = groupname(r, o);
        DynGroup g = name == null ? null : find(d, name, o);
        if (g != null) {
            Requests.group(o.data().putObject("group"), g);
        }
    }

    private static void list(DynsecData d, JsonNode r, Outcome o) {
        Requests.list(o, r, "groups", d.groups.values(), g -> g.groupname, Requests::group);
    }

    private static void setAnonymous(DynsecData d, JsonNode r, Outcome o) {
        String name = groupname(r, o);
        DynGroup g = name == null ? null : find(d, name, o);
        if (g == null) {
            return;
        }
        d.anonymousGroup = name;
        o.kickAnonymous = true;
        o.changed();
    }

    private static void getAnonymous(DynsecData d, JsonNode r, Outcome o) {
        o.data().putObject("group").put("groupname", d.anonymousGroup == null ? "" : d.anonymousGroup);
    }
}
