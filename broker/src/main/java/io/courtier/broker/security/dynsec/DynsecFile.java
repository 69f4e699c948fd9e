package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courtier.broker.config.IoErrorText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The plugin's JSON file, in the layout Mosquitto 2.0's plugin reads and writes, so that either
 * broker can use the other's file: {@code defaultACLAccess}, {@code clients} (with their roles
 * and their password as {@code password}/{@code salt}/{@code iterations}), {@code groups}
 * (with their roles and members), {@code anonymousGroup}, {@code roles} (with their ACLs).
 * Saving writes a new file next to it and renames it over the old one, so that a crash leaves
 * either the old file or the new one, never half of one.
 */
final class DynsecFile {

    static final ObjectMapper JSON = new ObjectMapper();

    private DynsecFile() {
    }

    /** Thrown when the file cannot be used; the message is Mosquitto's wording. */
    static final class DynsecFileException extends RuntimeException {
        DynsecFileException(String message) {
            super(message);
        }
    }

    static DynsecData load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new DynsecFileException("Error loading Dynamic security plugin config: File is not readable - "
                    + "check permissions.");
        } catch (IOException e) {
            throw new DynsecFileException("Error loading Dynamic security plugin config: Unable to read file contents.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new DynsecFileException("Error loading Dynamic security plugin config: File is not valid JSON.");
        }
        return read(root);
    }

    static DynsecData read(JsonNode root) {
        DynsecData d = new DynsecData();
        JsonNode defaults = Fields.get(root, "defaultACLAccess");
        if (defaults != null && defaults.isObject()) {
            for (String name : DefaultAccess.NAMES) {
                JsonNode v = Fields.get(defaults, name);
                if (v != null && v.isBoolean()) {
                    d.defaults = d.defaults.with(name, v.booleanValue());
                }
            }
        }
        for (JsonNode r : array(root, "roles")) {
            String name = Fields.string(r, "rolename");
            if (name == null || d.roles.containsKey(name)) {
                continue;
            }
            DynRole role = new DynRole(name);
            role.textname = Fields.string(r, "textname");
            role.textdescription = Fields.string(r, "textdescription");
            for (JsonNode a : array(r, "acls")) {
                AclType type = AclType.named(Fields.string(a, "acltype"));
                String topic = Fields.string(a, "topic");
                if (type != null && topic != null) {
                    role.addAcl(new Acl(type, topic, Fields.integer(a, "priority", 0), Fields.bool(a, "allow", false)));
                }
            }
            d.roles.put(name, role);
        }
        for (JsonNode c : array(root, "clients")) {
            String name = Fields.string(c, "username");
            if (name == null || d.clients.containsKey(name)) {
                continue;
            }
            DynClient client = new DynClient(name);
            client.clientid = Fields.string(c, "clientid");
            client.textname = Fields.string(c, "textname");
            client.textdescription = Fields.string(c, "textdescription");
            client.disabled = Fields.bool(c, "disabled", false);
            String hash = Fields.string(c, "password");
            String salt = Fields.string(c, "salt");
            JsonNode iterations = Fields.get(c, "iterations");
            if (hash != null && salt != null && iterations != null && iterations.isNumber()) {
                try {
                    client.password = Credentials.decode(hash, salt, iterations.intValue());
                } catch (IllegalArgumentException e) {
                    client.password = null; // as Mosquitto: a client whose hash is unreadable cannot log in
                }
            }
            for (JsonNode m : array(c, "roles")) {
                String role = Fields.string(m, "rolename");
                if (role != null && d.roles.containsKey(role)) {
                    Membership.put(client.roles, new Membership(role, Fields.integer(m, "priority", Membership.UNSET)));
                }
            }
            d.clients.put(name, client);
        }
        for (JsonNode g : array(root, "groups")) {
            String name = Fields.string(g, "groupname");
            if (name == null || d.groups.containsKey(name)) {
                continue;
            }
            DynGroup group = new DynGroup(name);
            group.textname = Fields.string(g, "textname");
            group.textdescription = Fields.string(g, "textdescription");
            for (JsonNode m : array(g, "roles")) {
                String role = Fields.string(m, "rolename");
                if (role != null && d.roles.containsKey(role)) {
                    Membership.put(group.roles, new Membership(role, Fields.integer(m, "priority", Membership.UNSET)));
                }
            }
            d.groups.put(name, group);
            for (JsonNode m : array(g, "clients")) {
                String user = Fields.string(m, "username");
                DynClient client = user == null ? null : d.clients.get(user);
                if (client != null) {
                    Membership.put(client.groups, new Membership(name, Fields.integer(m, "priority", Membership.UNSET)));
                    group.clients.add(new Membership(user, Fields.integer(m, "priority", Membership.UNSET)));
                }
            }
        }
        String anonymous = Fields.string(root, "anonymousGroup");
        d.anonymousGroup = anonymous != null && d.groups.containsKey(anonymous) ? anonymous : null;
        return d;
    }

    private static Iterable<JsonNode> array(JsonNode object, String name) {
        JsonNode n = Fields.get(object, name);
        return n != null && n.isArray() ? n : java.util.List.of();
    }

    /** The file's JSON for this state, in Mosquitto's order of members. */
    static ObjectNode write(DynsecData d) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode defaults = root.putObject("defaultACLAccess");
        for (int i = 0; i < DefaultAccess.NAMES.length; i++) {
            defaults.put(DefaultAccess.NAMES[i], d.defaults.get(i));
        }
        ArrayNode clients = root.putArray("clients");
        for (DynClient c : d.clients.values()) {
            ObjectNode o = clients.addObject();
            o.put("username", c.username);
            putIfSet(o, "clientid", c.clientid);
            putIfSet(o, "textname", c.textname);
            putIfSet(o, "textdescription", c.textdescription);
            if (c.disabled) {
                o.put("disabled", true);
            }
            memberships(o.putArray("roles"), "rolename", c.roles);
            if (c.password != null) {
                o.put("password", c.password.hashBase64());
                o.put("salt", c.password.saltBase64());
                o.put("iterations", c.password.iterations());
            }
        }
        ArrayNode groups = root.putArray("groups");
        for (DynGroup g : d.groups.values()) {
            ObjectNode o = groups.addObject();
            o.put("groupname", g.groupname);
            putIfSet(o, "textname", g.textname);
            putIfSet(o, "textdescription", g.textdescription);
            memberships(o.putArray("roles"), "rolename", g.roles);
            memberships(o.putArray("clients"), "username", g.clients);
        }
        if (d.anonymousGroup != null) {
            root.put("anonymousGroup", d.anonymousGroup);
        }
        ArrayNode roles = root.putArray("roles");
        for (DynRole r : d.roles.values()) {
            ObjectNode o = roles.addObject();
            o.put("rolename", r.rolename);
            putIfSet(o, "textname", r.textname);
            putIfSet(o, "textdescription", r.textdescription);
            acls(o.putArray("acls"), r.acls);
        }
        return root;
    }

    static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    static void memberships(ArrayNode into, String key, java.util.List<Membership> list) {
        for (Membership m : list) {
            ObjectNode o = into.addObject();
            o.put(key, m.name());
            if (m.priority() != Membership.UNSET) {
                o.put("priority", m.priority());
            }
        }
    }

    static void acls(ArrayNode into, java.util.List<Acl> list) {
        for (Acl a : list) {
            ObjectNode o = into.addObject();
            o.put("acltype", a.type().wireName);
            o.put("topic", a.topic());
            o.put("priority", a.priority());
            o.put("allow", a.allow());
        }
    }

    /**
     * Writes the state to a new file beside {@code file} and renames it over it (atomic on the
     * same file system); the new file keeps the old one's permissions. Throws with Mosquitto's
     * wording when the directory or file cannot be written.
     */
    static void save(Path file, DynsecData d) {
        byte[] bytes;
        try {
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("\t", "\n"))
                    .withArrayIndenter(new DefaultIndenter("\t", "\n"));
            bytes = (JSON.writer(pretty).writeValueAsString(write(d)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".new");
            copyPermissions(target, tmp);
            Files.write(tmp, bytes);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do: the directory refused us already
                }
            }
            throw new DynsecFileException("Error saving Dynamic security plugin config: File is not writable - "
                    + "check permissions (" + target + ": " + IoErrorText.inSentence(e) + ").");
        }
    }

    /** Whether a save could succeed now: the directory accepts new files and the file may be replaced. */
    static String writableProblem(Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isWritable(dir)) {
            return "the directory " + dir + " is not writable, so changes cannot be saved";
        }
        return null;
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // a new file, or no POSIX permissions here: the temporary file's owner-only ones stay
        }
    }
}
