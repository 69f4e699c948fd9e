package io.courtier.broker.security.dynsec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order in which Mosquitto's plugin evaluates ACLs, on state built by the same commands
 * the broker runs: priorities within a role, the client's roles before its groups', the first
 * match deciding, the defaults last. (The end-to-end checks against Debian's programs are in
 * DynsecTrafficTest.)
 */
class AccessSnapshotTest {

    private final DynsecData d = new DynsecData();
    private final Map<String, Command> commands = new HashMap<>();

    AccessSnapshotTest() {
        ClientCommands.register(commands);
        GroupCommands.register(commands);
        RoleCommands.register(commands);
        DefaultAccessCommands.register(commands);
    }

    private void run(String json) throws Exception {
        JsonNode request = DynsecFile.JSON.readTree(json);
        Outcome out = new Outcome(DynsecFile.JSON.createObjectNode());
        commands.get(request.get("command").asText()).run(d, request, out);
        assertThat(out.failed()).as(json + " -> " + out.response).isFalse();
    }

    private boolean allows(String user, int kind, String topic) {
        return AccessSnapshot.of(d).allows(user, kind, topic);
    }

    @Test
    void aHigherPriorityAclWinsWithinARole() throws Exception {
        run("{\"command\":\"createClient\",\"username\":\"u\"}");
        run("{\"command\":\"createRole\",\"rolename\":\"r\"}");
        run("{\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"publishClientSend\",\"topic\":\"a/#\",\"allow\":true,\"priority\":1}");
        run("{\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"publishClientSend\",\"topic\":\"a/secret\",\"allow\":false,\"priority\":5}");
        run("{\"command\":\"addClientRole\",\"username\":\"u\",\"rolename\":\"r\"}");
        assertThat(allows("u", AccessSnapshot.SEND, "a/open")).isTrue();
        assertThat(allows("u", AccessSnapshot.SEND, "a/secret")).isFalse();
        assertThat(allows("u", AccessSnapshot.SEND, "b")).isFalse(); // default: deny
        assertThat(allows("u", AccessSnapshot.RECEIVE, "b")).isTrue(); // default: allow
        assertThat(allows("nobody", AccessSnapshot.RECEIVE, "b")).isFalse(); // unknown to the plugin
    }

    @Test
    void theClientsRolesComeBeforeItsGroupsAndGroupsByPriority() throws Exception {
        run("{\"command\":\"createClient\",\"username\":\"u\"}");
        run("{\"command\":\"createRole\",\"rolename\":\"own\",\"acls\":[{\"acltype\":\"publishClientSend\",\"topic\":\"x\",\"allow\":false}]}");
        run("{\"command\":\"createRole\",\"rolename\":\"low\",\"acls\":[{\"acltype\":\"publishClientSend\",\"topic\":\"y\",\"allow\":true}]}");
        run("{\"command\":\"createRole\",\"rolename\":\"high\",\"acls\":[{\"acltype\":\"publishClientSend\",\"topic\":\"#\",\"allow\":true},"
                + "{\"acltype\":\"publishClientSend\",\"topic\":\"y\",\"allow\":false,\"priority\":3}]}");
        run("{\"command\":\"createGroup\",\"groupname\":\"g1\",\"roles\":[{\"rolename\":\"low\"}]}");
        run("{\"command\":\"createGroup\",\"groupname\":\"g2\",\"roles\":[{\"rolename\":\"high\"}]}");
        run("{\"command\":\"addClientRole\",\"username\":\"u\",\"rolename\":\"own\"}");
        run("{\"command\":\"addGroupClient\",\"groupname\":\"g1\",\"username\":\"u\",\"priority\":1}");
        run("{\"command\":\"addGroupClient\",\"groupname\":\"g2\",\"username\":\"u\",\"priority\":9}");
        assertThat(allows("u", AccessSnapshot.SEND, "x")).isFalse(); // own role first, though g2 allows '#'
        assertThat(allows("u", AccessSnapshot.SEND, "y")).isFalse(); // g2 (priority 9) before g1
        assertThat(allows("u", AccessSnapshot.SEND, "z")).isTrue();
        run("{\"command\":\"removeGroupClient\",\"groupname\":\"g2\",\"username\":\"u\"}");
        assertThat(allows("u", AccessSnapshot.SEND, "y")).isTrue();
    }

    @Test
    void literalAndPatternSubscriptionsAndTheAnonymousGroup() throws Exception {
        run("{\"command\":\"createRole\",\"rolename\":\"r\",\"acls\":["
                + "{\"acltype\":\"subscribeLiteral\",\"topic\":\"s/+/t\",\"allow\":true},"
                + "{\"acltype\":\"subscribePattern\",\"topic\":\"p/#\",\"allow\":true},"
                + "{\"acltype\":\"unsubscribeLiteral\",\"topic\":\"keep\",\"allow\":false}]}");
        run("{\"command\":\"createGroup\",\"groupname\":\"anon\",\"roles\":[{\"rolename\":\"r\"}]}");
        assertThat(allows(null, AccessSnapshot.SUBSCRIBE, "p/a/b")).isFalse(); // no anonymous group yet
        run("{\"command\":\"setAnonymousGroup\",\"groupname\":\"anon\"}");
        assertThat(allows(null, AccessSnapshot.SUBSCRIBE, "s/+/t")).isTrue();
        assertThat(allows(null, AccessSnapshot.SUBSCRIBE, "s/x/t")).isFalse(); // literal: the same string only
        assertThat(allows(null, AccessSnapshot.SUBSCRIBE, "p/+/#")).isTrue();
        assertThat(allows(null, AccessSnapshot.SUBSCRIBE, "#")).isFalse(); // wider than p/#
        assertThat(allows(null, AccessSnapshot.UNSUBSCRIBE, "keep")).isFalse();
        assertThat(allows(null, AccessSnapshot.UNSUBSCRIBE, "other")).isTrue();
    }

    /** Mosquitto 2.0.11 skips an unknown member silently (users then wonder why); it is an error here. */
    @Test
    void modifyGroupNamingAnUnknownClientChangesNothing() throws Exception {
        run("{\"command\":\"createClient\",\"username\":\"u\"}");
        run("{\"command\":\"createGroup\",\"groupname\":\"g\"}");
        run("{\"command\":\"addGroupClient\",\"groupname\":\"g\",\"username\":\"u\"}");
        JsonNode request = DynsecFile.JSON.readTree(
                "{\"command\":\"modifyGroup\",\"groupname\":\"g\",\"clients\":[{\"username\":\"zz\"}]}");
        Outcome out = new Outcome(DynsecFile.JSON.createObjectNode());
        commands.get("modifyGroup").run(d, request, out);
        assertThat(out.response.path("error").asText()).isEqualTo("Client not found");
        assertThat(d.groups.get("g").clients).extracting(Membership::name).containsExactly("u");
    }

    @Test
    void coversReadsFiltersLevelByLevel() {
        assertThat(AccessSnapshot.covers("a/+/c", "a/b/c")).isTrue();
        assertThat(AccessSnapshot.covers("a/+/c", "a/+/c")).isTrue();
        assertThat(AccessSnapshot.covers("a/b/c", "a/+/c")).isFalse();
        assertThat(AccessSnapshot.covers("a/#", "a")).isTrue();
        assertThat(AccessSnapshot.covers("a/+", "a/#")).isFalse();
        assertThat(AccessSnapshot.covers("a/+", "a/b/c")).isFalse();
    }
}
