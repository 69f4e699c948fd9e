package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * createClient, deleteClient, enableClient, disableClient, setClientId, setClientPassword,
 * modifyClient, getClient, listClients, addClientRole, removeClientRole — with the error
 * strings of Mosquitto 2.0.11's plugin (checked against it, see DynsecMosquittoParityTest).
 */
final class ClientCommands {
    private ClientCommands() {
    }

    static void register(Map<String, Command> into) {
        into.put("createClient", ClientCommands::create);
        into.put("deleteClient", ClientCommands::delete);
        into.put("enableClient", (d, r, o) -> setDisabled(d, r, o, false));
        into.put("disableClient", (d, r, o) -> setDisabled(d, r, o, true));
        into.put("setClientId", ClientCommands::setId);
        into.put("setClientPassword", ClientCommands::setPassword);
        into.put("modifyClient", ClientCommands::modify);
        into.put("getClient", ClientCommands::get);
        into.put("listClients", ClientCommands::list);
        into.put("addClientRole", ClientCommands::addRole);
        into.put("removeClientRole", ClientCommands::removeRole);
    }

    private static String username(JsonNode r, Outcome o) {
        return Requests.name(r, "username", o, "Invalid/missing username");
    }

    /** The named client, or null after "Client not found". */
    private static DynClient find(DynsecData d, String username, Outcome o) {
        DynClient c = d.clients.get(username);
        if (c == null) {
            o.error("Client not found");
        }
        return c;
    }

    private static void create(DynsecData d, JsonNode r, Outcome o) {
        String username = username(r, o);
        if (username == null) {
            return;
        }
        if (!Requests.optionalTextOk(r, "password", o, "Invalid/missing password")
                || !Requests.optionalTextOk(r, "clientid", o, "Invalid/missing client id")
                || !Requests.descriptionsOk(r, o)) {
            return;
        }
        if (d.clients.containsKey(username)) {
            o.error("Client already exists");
            return;
        }
        List<Membership> roles = Requests.roles(d, r, o);
        if (roles == null) {
            return;
        }
        List<Membership> groups = Requests.groups(d, r, o);
        if (groups == null) {
            return;
        }
        DynClient c = new DynClient(username);
        String password = Fields.string(r, "password");
        c.password = password == null ? null : Credentials.create(password);
        c.clientid = Fields.string(r, "clientid");
        c.textname = Fields.string(r, "textname");
        c.textdescription = Fields.string(r, "textdescription");
        c.roles.addAll(roles);
        d.clients.put(username, c);
        for (Membership g : groups) {
            join(d, c, d.groups.get(g.name()), g.priority());
        }
        o.changed();
    }

    static void join(DynsecData d, DynClient c, DynGroup g, int priority) {
        Membership.put(c.groups, new Membership(g.groupname, priority));
        g.clients.removeIf(m -> m.name().equals(c.username));
        g.clients.add(new Membership(c.username, priority));
    }

    static void leave(DynClient c, DynGroup g) {
        Membership.remove(c.groups, g.groupname);
        Membership.remove(g.clients, c.username);
    }

    private static void delete(DynsecData d, JsonNode r, Outcome o) {
        String username = username(r, o);
        DynClient c = username == null ? null : find(d, username, o);
        if (c == null) {
            return;
        }
        for (Membership g : List.copyOf(c.groups)) {
            DynGroup group = d.groups.get(g.name());
            if (group != null) {
                leave(c, group);
            }
        }
        d.clients.remove(username);
        o.kickUsers.add(username);
        o.changed();
    }

    private static void setDisabled(DynsecData d, JsonNode r, Outcome o, boolean disabled) {
        String username = username(r, o);
        DynClient c = username == null ? null : find(d, username, o);
        if (c == null) {
            return;
        }
        c.disabled = disabled;
        if (disabled) {
            o.kickUsers.add(username);
        }
        o.changed();
    }

    private static void setId(DynsecData d, JsonNode r, Outcome o) {
        String username = username(r, o);
        if (username == null || !Requests.optionalTextOk(r, "clientid", o, "Invalid/missing client ID")) {
            return;
        }
        DynClient c = find(d, username, o);
        if (c == null) {
            return;
        }
        String id = Fields.string(r, "clientid");
        c.clientid = id == null || id.isEmpty() ? null : id;
        o.kickUsers.add(username);
        o.changed();
    }

    private static void setPassword(DynsecData d, JsonNode r, Outcome o) {
        String username = username(r, o);
        if (username == null) {
            return;
        }
        String password = Requests.name(r, "password", o, "Invalid/missing password");
        if (password == null) {
            return;
        }
        if (password.isEmpty()) {
            o.error("Empty password is not allowed");
            return;
        }
        DynClient c = find(d, username, o);
        if (c == null) {
            return;
        }
        c.password = Credentials.create(password);
        o.kickUsers.add(username);
        o.changed();
    }

    private static void modify(DynsecData d, JsonNode r, Outcome o) {
        String username = username(r, o);
        if (username == null) {
            return;
        }
        DynClient c = find(d, username, o);
        if (c == null) {
            return;
        }
        if (!Requests.optionalTextOk(r, "clientid", o, "Invalid/missing client id")
                || !Requests.optionalTextOk(r, "password", o, "Invalid/missing password")
                || !Requests.descriptionsOk(r, o)) {
            return;
        }
        List<Membership> roles = Requests.roles(d, r, o);
        if (roles == null) {
            return;
        }
        List<Membership> groups = Requests.groups(d, r, o);
        if (groups == null) {
            return;
        }
        if (Fields.present(r, "clientid")) {
            String id = Fields.string(r, "clientid");
            c.clientid = id.isEmpty() ? null : id;
        }
        if (Fields.present(r, "password")) {
            String pw = Fields.string(r, "password");
            c.password = pw.isEmpty() ? null : Credentials.create(pw);
        }
        if (Fields.present(r, "textname")) {
            c.textname = Fields.string(r, "textname");
        }
        if (Fields.present(r, "textdescription")) {
            c.textdescription = Fields.string(r, "textdescription");
        }
        if (Fields.present(r, "roles")) {
            c.roles.clear();
            c.roles.addAll(roles);
        }
        if (Fields.present(r, "groups")) {
            for (Membership g : List.copyOf(c.groups)) {
                DynGroup group = d.groups.get(g.name());
                if (group != null) {
                    leave(c, group);
                }
            }
            for (Membership g : groups) {
                join(d, c, d.groups.get(g.name()), g.priority());
            }
        }
        o.kickUsers.add(username);
        o.changed();
    }

    private static void get(DynsecData d, JsonNode r, Outcome o) {
        String username = username(r, o);
        DynClient c = username == null ? null : find(d, username, o);
        if (c != null) {
            Requests.client(o.data().putObject("client"), c);
        }
    }

    private static void list(DynsecData d, JsonNode r, Outcome o) {
        Requests.list(o, r, "clients", d.clients.values(), c -> c.username, Requests::client);
    }

    /** The client an add/removeClientRole names, once its role is known to exist; null after the error. */
    private static DynClient withRole(DynsecData d, JsonNode r, Outcome o) {
        Requests.Names n = Requests.names(r, o, "username", "Invalid/missing username", "rolename",
                "Invalid/missing rolename");
        DynClient c = n == null ? null : find(d, n.first(), o);
        return c != null && Requests.roleExists(d, n.second(), o) ? c : null;
    }

    private static void addRole(DynsecData d, JsonNode r, Outcome o) {
        DynClient c = withRole(d, r, o);
        if (c == null) {
            return;
        }
        String rolename = Fields.string(r, "rolename");
        if (Membership.contains(c.roles, rolename)) {
            o.error("Internal error"); // Mosquitto 2.0.11's answer when the client has the role already
            return;
        }
        Membership.put(c.roles, new Membership(rolename, Fields.integer(r, "priority", Membership.UNSET)));
        o.kickUsers.add(c.username);
        o.changed();
    }

    private static void removeRole(DynsecData d, JsonNode r, Outcome o) {
        DynClient c = withRole(d, r, o);
        if (c == null) {
            return;
        }
        Membership.remove(c.roles, Fields.string(r, "rolename"));
        o.kickUsers.add(c.username);
        o.changed();
    }
}
