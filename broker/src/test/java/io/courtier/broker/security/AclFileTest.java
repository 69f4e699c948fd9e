package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACL rules, one decision at a time; {@code AuthMatrixTest} shows them through a real broker. */
class AclFileTest {

    @TempDir
    Path dir;

    private AclFile load(String... lines) throws Exception {
        Path file = dir.resolve("acl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return AclFile.load(file, w -> { });
    }

    @Test
    void anonymousRulesComeBeforeTheFirstUserAndPatternsApplyToEveryone() throws Exception {
        AclFile acl = load(
                "# anonymous",
                "topic read public/#",
                "topic deny public/secret",
                "user alice",
                "topic readwrite alice/#",
                "topic read sensors/#",
                "topic deny sensors/private",
                "topic rw/x",
                "pattern readwrite clients/%c/#",
                "pattern read users/%u/#");
        assertThat(acl.canReceive("c", null, "public/a")).isTrue();
        assertThat(acl.canReceive("c", null, "public/secret")).isFalse();
        assertThat(acl.canPublish("c", null, "public/a")).isFalse();
        assertThat(acl.canReceive("c", null, "alice/a")).isFalse();
        assertThat(acl.canReceive("c", "alice", "public/a")).as("anonymous rules are not alice's").isFalse();
        assertThat(acl.canPublish("c", "alice", "alice/x/y")).isTrue();
        assertThat(acl.canReceive("c", "alice", "sensors/y")).isTrue();
        assertThat(acl.canPublish("c", "alice", "sensors/y")).isFalse();
        assertThat(acl.canReceive("c", "alice", "sensors/private")).isFalse();
        assertThat(acl.canPublish("c", "alice", "rw/x")).isTrue();
        assertThat(acl.canReceive("c", "alice", "rw/x")).isTrue();
        // patterns: %c for anonymous and named clients, %u only for named ones
        assertThat(acl.canPublish("cid", null, "clients/cid/a")).isTrue();
        assertThat(acl.canPublish("cid", null, "clients/other/a")).isFalse();
        assertThat(acl.canReceive("cid", "bob", "users/bob/a")).isTrue();
        assertThat(acl.canReceive("cid", "bob", "users/alice/a")).isFalse();
        assertThat(acl.canReceive("cid", null, "users/%u/a")).isFalse();
        assertThat(acl.canReceive("a/b", null, "clients/a/b/c")).as("a client id with '/' spans levels").isTrue();
        // SUBSCRIBE is always granted, as by Mosquitto 2.0.11's acl_file: delivery is filtered
        assertThat(acl.canSubscribe("c", null, "#")).isTrue();
    }

    @Test
    void denyWinsInsideItsGroupAndDangerousIdsGetNoPatterns() throws Exception {
        AclFile acl = load(
                "user carol",
                "topic read #",
                "topic deny public/#",
                "pattern deny clients/%c/secret",
                "pattern read clients/%c/#",
                "user da+ve",
                "topic read mine/#");
        assertThat(acl.canReceive("x", "carol", "public/a")).isFalse();
        assertThat(acl.canReceive("x", "carol", "clients/x/secret")).as("a user grant is final").isTrue();
        assertThat(acl.canReceive("y", "bob", "clients/y/secret")).isFalse();
        assertThat(acl.canReceive("y", "bob", "clients/y/open")).isTrue();
        assertThat(acl.canReceive("y+", "bob", "clients/y+/open")).isFalse();
        assertThat(acl.canReceive("y", "da+ve", "mine/a")).isTrue();
        assertThat(acl.canReceive("y", "da+ve", "clients/y/open")).isFalse();
    }

    @Test
    void dollarTopicsNeedADollarFilter() throws Exception {
        AclFile acl = load("topic read #", "topic read +/broker/x", "topic read $SYS/broker/#");
        assertThat(acl.canReceive("c", null, "$SYS/broker/version")).isTrue();
        assertThat(acl.canReceive("c", null, "$SYS/other")).isFalse();
        assertThat(acl.canReceive("c", null, "a/b")).isTrue();
    }

    @Test
    void malformedLinesStopWithFileLineAndMosquittosWording() throws Exception {
        Path file = dir.resolve("bad");
        for (String[] c : new String[][] {
                {"bogus line", "Invalid line in acl_file: bogus."},
                {"topic", "Empty topic in acl_file."},
                {"user", "Missing username in acl_file."},
                {"topic foo bar", "Invalid topic access type \"foo\" in acl_file."},
                {"topic read a/#/b", "Invalid ACL topic \"a/#/b\" in acl_file."}}) {
            Files.writeString(file, "# first\n" + c[0] + "\n");
            assertThatThrownBy(() -> AclFile.load(file, w -> { }))
                    .isInstanceOf(SecurityFileException.class).hasMessage(file + ":2: " + c[1]);
        }
        List<String> warnings = new ArrayList<>();
        Files.writeString(file, "topic read\ntopic readwrite a b\npattern read fixed/#\n");
        AclFile acl = AclFile.load(file, warnings::add);
        assertThat(acl.canPublish("c", null, "read")).as("one word is the topic").isTrue();
        assertThat(acl.canPublish("c", null, "a b")).as("a topic may hold spaces").isTrue();
        assertThat(warnings).containsExactly(file + ":3: ACL pattern 'fixed/#' does not contain '%c' or '%u'.");
    }
}
