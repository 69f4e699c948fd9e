package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courtier.broker.security.Authenticator;
import io.courtier.broker.security.Authorizer;
import io.courtier.broker.security.SecurityFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mosquitto's dynamic security plugin, built in: clients, groups and roles kept in a JSON file
 * and managed live through {@code $CONTROL/dynamic-security/v1} (by {@code mosquitto_ctrl},
 * {@code courtier ctrl} or the console). One instance per file. Commands run one at a time
 * under this object's lock, off the event loops (they hash passwords); each change is saved
 * (write, then rename) and published to the connections as a new {@link AccessSnapshot}, and
 * the clients whose identity or roles changed are disconnected, as Mosquitto 2.0 does.
 */
public final class DynamicSecurity {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    /** Where requests are published; responses go to {@link #RESPONSE_TOPIC}, to the requester only. */
    public static final String TOPIC = "$CONTROL/dynamic-security/v1";
    public static final String RESPONSE_TOPIC = TOPIC + "/response";

    private static final Map<String, Command> COMMANDS = new HashMap<>();

    static {
        ClientCommands.register(COMMANDS);
        GroupCommands.register(COMMANDS);
        RoleCommands.register(COMMANDS);
        DefaultAccessCommands.register(COMMANDS);
    }

    /** Disconnects the clients a change concerns: by user name, and all anonymous clients when asked. */
    public interface Kicker {
        void kick(Set<String> usernames, boolean anonymous);
    }

    private final Path file;
    private final DynsecData data;
    private volatile AccessSnapshot snapshot;
    private volatile Kicker kicker = (users, anonymous) -> { };

    private DynamicSecurity(Path file, DynsecData data) {
        this.file = file;
        this.data = data;
        this.snapshot = AccessSnapshot.of(data);
    }

    /**
     * Reads the plugin's file. A missing, unreadable or malformed file stops start-up (Mosquitto
     * would run on with nobody able to log in); a file that cannot be written back is logged now,
     * and every change reports it until it is fixed.
     */
    public static DynamicSecurity open(Path file) {
        DynsecData data;
        try {
            data = DynsecFile.load(file);
        } catch (DynsecFile.DynsecFileException e) {
            throw new SecurityFileException(file + ": " + e.getMessage());
        }
        DynamicSecurity ds = new DynamicSecurity(file, data);
        String problem = DynsecFile.writableProblem(file);
        if (problem != null) {
            LOG.error("Dynamic security plugin config {}: {}.", file, problem);
        }
        return ds;
    }

    /**
     * Writes a new file with one administrator, as {@code mosquitto_ctrl dynsec init} does: the
     * client {@code admin} with role {@code admin}, which may use {@code $CONTROL/dynamic-security/#}
     * and read {@code $SYS/#} and everything else, but publish nothing else.
     */
    public static void init(Path file, String admin, String password) {
        DynsecData d = new DynsecData();
        DynRole role = new DynRole("admin");
        String control = "$CONTROL/dynamic-security/#";
        role.addAcl(new Acl(AclType.PUBLISH_CLIENT_SEND, control, 0, true));
        role.addAcl(new Acl(AclType.PUBLISH_CLIENT_RECEIVE, control, 0, true));
        role.addAcl(new Acl(AclType.SUBSCRIBE_PATTERN, control, 0, true));
        role.addAcl(new Acl(AclType.PUBLISH_CLIENT_RECEIVE, "$SYS/#", 0, true));
        role.addAcl(new Acl(AclType.SUBSCRIBE_PATTERN, "$SYS/#", 0, true));
        role.addAcl(new Acl(AclType.PUBLISH_CLIENT_RECEIVE, "#", 0, true));
        role.addAcl(new Acl(AclType.SUBSCRIBE_PATTERN, "#", 0, true));
        role.addAcl(new Acl(AclType.UNSUBSCRIBE_PATTERN, "#", 0, true));
        d.roles.put(role.rolename, role);
        DynClient c = new DynClient(admin);
        c.textname = "Dynsec admin user";
        c.password = Credentials.create(password);
        c.roles.add(new Membership("admin", Membership.UNSET));
        d.clients.put(admin, c);
        DynsecFile.save(file, d);
    }

    public Path file() {
        return file;
    }

    /** Logins: the plugin's clients, then {@code fallback} for anyone it does not know. */
    public Authenticator authenticator(Authenticator fallback) {
        return new DynsecAuthenticator(() -> snapshot, fallback);
    }

    public Authorizer authorizer() {
        return new DynsecAuthorizer(() -> snapshot);
    }

    /**
     * Whether this user (null: anonymous) may send commands, by the same rule as over MQTT: its
     * roles let it publish to {@link #TOPIC}. The console asks before it runs a command.
     */
    public boolean mayControl(String username) {
        return snapshot.allows(username, AccessSnapshot.SEND, TOPIC);
    }

    public void onKick(Kicker k) {
        this.kicker = k;
    }

    /**
     * Runs a request published on {@link #TOPIC} by a client (already allowed by the ACL to
     * publish there) and returns the response payload, in Mosquitto's form:
     * {@code {"responses":[{"command":..., "error"|"data":..., "correlationData":...}]}}.
     * Blocks: call it off the event loops.
     */
    public byte[] handle(String clientId, String username, byte[] payload) {
        ObjectNode root = DynsecFile.JSON.createObjectNode();
        ArrayNode responses = root.putArray("responses");
        List<Outcome> outcomes;
        synchronized (this) {
            JsonNode commands = commands(payload, responses);
            if (commands == null) {
                return bytes(root);
            }
            outcomes = run(commands, responses, clientId, username);
            commit(outcomes);
        }
        Set<String> kickUsers = new LinkedHashSet<>();
        boolean kickAnonymous = false;
        for (Outcome o : outcomes) {
            kickUsers.addAll(o.kickUsers);
            kickAnonymous |= o.kickAnonymous;
        }
        if (!kickUsers.isEmpty() || kickAnonymous) {
            kicker.kick(kickUsers, kickAnonymous);
        }
        return bytes(root);
    }

    /** The request's {@code commands} array, or null after answering why there is none. */
    private static JsonNode commands(byte[] payload, ArrayNode responses) {
        JsonNode request;
        try {
            request = DynsecFile.JSON.readTree(payload);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            responses.addObject().put("command", "Unknown command").put("error", "Payload not valid JSON");
            return null;
        }
        JsonNode commands = Fields.get(request, "commands");
        if (commands == null || !commands.isArray()) {
            responses.addObject().put("command", "Unknown command").put("error", "Invalid/missing commands");
            return null;
        }
        return commands;
    }

    /** Runs each command in turn, answering each in {@code responses}, as Mosquitto's plugin reads a batch. */
    private List<Outcome> run(JsonNode commands, ArrayNode responses, String clientId, String username) {
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode cmd : commands) {
            if (!cmd.isObject()) {
                responses.addObject().put("command", "Unknown command").put("error", "Command not an object");
                continue;
            }
            String name = Fields.string(cmd, "command");
            if (name == null) {
                responses.addObject().put("command", "Unknown command").put("error", "Missing command");
                continue;
            }
            JsonNode correlation = Fields.get(cmd, "correlationData");
            Outcome out = new Outcome(responses.addObject().put("command", name));
            outcomes.add(out);
            if (correlation != null && !correlation.isTextual()) {
                out.error("Invalid correlationData data type.");
                break; // Mosquitto stops reading the batch here
            }
            Command command = COMMANDS.get(name);
            if (command == null) {
                out.error("Unknown command");
            } else {
                LOG.info("dynsec: {}/{} | {}", clientId, username, name);
                command.run(data, cmd, out);
            }
            if (correlation != null) {
                out.response.put("correlationData", correlation.textValue());
            }
        }
        return outcomes;
    }

    /**
     * Puts the changes in force (a new snapshot) and saves them. A failed save leaves them in force
     * but they would not survive a restart: each changing command's response says so.
     */
    private void commit(List<Outcome> outcomes) {
        List<Outcome> changes = outcomes.stream().filter(o -> o.changed).toList();
        if (changes.isEmpty()) {
            return;
        }
        snapshot = AccessSnapshot.of(data);
        try {
            DynsecFile.save(file, data);
        } catch (DynsecFile.DynsecFileException e) {
            LOG.error("{}", e.getMessage());
            for (Outcome o : changes) {
                if (!o.failed()) {
                    o.response.put("error", e.getMessage());
                }
            }
        }
    }

    private static byte[] bytes(ObjectNode root) {
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
