package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import io.courtier.codec.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * createRole, deleteRole, modifyRole, addRoleACL, removeRoleACL, getRole, listRoles. ACL
 * changes take effect at the next check; removing or deleting a role also disconnects the
 * clients that held it, as Mosquitto does.
 */
final class RoleCommands {
    private RoleCommands() {
    }

    static void register(Map<String, Command> into) {
        into.put("createRole", RoleCommands::create);
        into.put("deleteRole", RoleCommands::delete);
        into.put("modifyRole", RoleCommands::modify);
        into.put("addRoleACL", RoleCommands::addAcl);
        into.put("removeRoleACL", RoleCommands::removeAcl);
        into.put("getRole", RoleCommands::get);
        into.put("listRoles", RoleCommands::list);
    }

    private static String rolename(JsonNode r, Outcome o) {
        return Requests.name(r, "rolename", o, "Invalid/missing rolename");
    }

    private static DynRole find(DynsecData d, String name, Outcome o) {
        DynRole role = d.roles.get(name);
        if (role == null) {
            o.error("Role not found");
        }
        return role;
    }

    private static void create(DynsecData d, JsonNode r, Outcome o) {
        String name = rolename(r, o);
        if (name == null || !Requests.descriptionsOk(r, o)) {
            return;
        }
        if (d.roles.containsKey(name)) {
            o.error("Role already exists");
            return;
        }
        List<Acl> acls = acls(r, o);
        if (acls == null) {
            return;
        }
        DynRole role = new DynRole(name);
        role.textname = Fields.string(r, "textname");
        role.textdescription = Fields.string(r, "textdescription");
        acls.forEach(role::addAcl);
        d.roles.put(name, role);
        o.changed();
    }

    /** An {@code acls} array; entries of an unknown kind are skipped, as Mosquitto skips them. */
    private static List<Acl> acls(JsonNode r, Outcome o) {
        List<Acl> out = new ArrayList<>();
        JsonNode n = Fields.get(r, "acls");
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            o.error("'acls' not an array");
            return null;
        }
        for (JsonNode a : n) {
            AclType type = AclType.named(Fields.string(a, "acltype"));
            String topic = Fields.string(a, "topic");
            if (type == null || topic == null) {
                continue;
            }
            if (!Topics.isValidTopicFilter(topic)) {
                o.error("Invalid ACL topic");
                return null;
            }
            out.add(new Acl(type, topic, Fields.integer(a, "priority", 0), Fields.bool(a, "allow", false)));
        }
        return out;
    }

    /** Who holds a role, directly or through a group: they are disconnected when it goes. */
    private static void kickHolders(DynsecData d, String rolename, Outcome o) {
        for (DynClient c : d.clients.values()) {
            if (Membership.contains(c.roles, rolename)) {
                o.kickUsers.add(c.username);
            }
        }
        for (DynGroup g : d.groups.values()) {
            if (Membership.contains(g.roles, rolename)) {
                o.kickGroup(d, g);
            }
        }
    }

    private static void delete(DynsecData d, JsonNode r, Outcome o) {
        String name = rolename(r, o);
        DynRole role = name == null ? null : find(d, name, o);
        if (role == null) {
            return;
        }
        kickHolders(d, name, o);
        for (DynClient c : d.clients.values()) {
            Membership.remove(c.roles, name);
        }
        for (DynGroup g : d.groups.values()) {
            Membership.remove(g.roles, name);
        }
        d.roles.remove(name);
        o.changed();
    }

    private static void modify(DynsecData d, JsonNode r, Outcome o) {
        String name = rolename(r, o);
        DynRole role = name == null ? null : d.roles.get(name);
        if (name != null && role == null) {
            o.error("Role does not exist"); // modifyRole's own wording in Mosquitto 2.0.11
        }
        if (role == null || !Requests.descriptionsOk(r, o)) {
            return;
        }
        List<Acl> acls = acls(r, o);
        if (acls == null) {
            return;
        }
        if (Fields.present(r, "textname")) {
            role.textname = Fields.string(r, "textname");
        }
        if (Fields.present(r, "textdescription")) {
            role.textdescription = Fields.string(r, "textdescription");
        }
        if (Fields.present(r, "acls")) {
            role.acls.clear();
            acls.forEach(role::addAcl);
        }
        o.changed();
    }

    /** The role, kind and topic an add/removeRoleACL names; null after Mosquitto's error. */
    private record AclRef(DynRole role, AclType type, String topic) {
    }

    private static AclRef aclRef(DynsecData d, JsonNode r, Outcome o) {
        String name = rolename(r, o);
        DynRole role = name == null ? null : find(d, name, o);
        if (role == null) {
            return null;
        }
        String typeName = Fields.string(r, "acltype");
        if (typeName == null) {
            o.error("Invalid/missing acltype");
            return null;
        }
        AclType type = AclType.named(typeName);
        if (type == null) {
            o.error("Unknown acltype");
            return null;
        }
        String topic = Fields.string(r, "topic");
        if (topic == null) {
            o.error("Invalid/missing topic");
            return null;
        }
        return new AclRef(role, type, topic);
    }

    private static void addAcl(DynsecData d, JsonNode r, Outcome o) {
        AclRef a = aclRef(d, r, o);
        if (a == null) {
            return;
        }
        if (!Topics.isValidTopicFilter(a.topic())) {
            o.error("Invalid ACL topic");
            return;
        }
        for (Acl existing : a.role().acls) {
            if (existing.type() == a.type() && existing.topic().equals(a.topic())) {
                o.error("ACL with this topic already exists");
                return;
            }
        }
        a.role().addAcl(new Acl(a.type(), a.topic(), Fields.integer(r, "priority", 0), Fields.bool(r, "allow", false)));
        o.changed();
    }

    private static void removeAcl(DynsecData d, JsonNode r, Outcome o) {
        AclRef a = aclRef(d, r, o);
        if (a == null) {
            return;
        }
        if (!a.role().acls.removeIf(x -> x.type() == a.type() && x.topic().equals(a.topic()))) {
            o.error("ACL not found");
            return;
        }
        o.changed();
    }

    private static void get(DynsecData d, JsonNode r, Outcome o) {
        String name = rolename(r, o);
        DynRole role = name == null ? null : find(d, name, o);
        if (role != null) {
            Requests.role(o.data().putObject("role"), role);
        }
    }

    private static void list(DynsecData d, JsonNode r, Outcome o) {
        Requests.list(o, r, "roles", d.roles.values(), role -> role.rolename, Requests::role);
    }
}
