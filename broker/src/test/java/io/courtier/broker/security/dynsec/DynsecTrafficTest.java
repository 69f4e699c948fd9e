package io.courtier.broker.security.dynsec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.testkit.MosquittoBroker;
import io.courtier.testkit.External;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's walk-through with Debian's programs against Courtier: roles set up by
 * {@code mosquitto_ctrl} let {@code mosquitto_pub}'s allowed messages reach
 * {@code mosquitto_sub} and keep the denied ones out; changes apply to connected clients at
 * once; the file is interchangeable with Mosquitto's.
 */
class DynsecTrafficTest {

    @TempDir
    Path tmp;

    private static void ok(int port, String... command) throws Exception {
        External.Result r = DynsecFixtures.ctrl(port, "admin", "adminpw", command);
        assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.stderr()).isZero();
        assertThat(r.stderr()).as(String.join(" ", command)).doesNotContain("Error");
    }

    /** mosquitto_sub -v in the background, its lines collected. */
    private record Sub(Process process, List<String> lines) implements AutoCloseable {
        static Sub start(int port, String user, String password, String filter) throws Exception {
            Process p = External.start("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u",
                    user, "-P", password, "-t", filter, "-v", "-V", "5");
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
            return new Sub(p, lines);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    private static int pub(int port, String user, String password, String topic, String message) throws Exception {
        return External.run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u", user, "-P",
                password, "-t", topic, "-m", message, "-q", "1").exitCode();
    }

    @Test
    void allowedTrafficFlowsDeniedDoesNotAndChangesApplyAtOnce() throws Exception {
        Path file = DynsecFixtures.initWithMosquittoCtrl(tmp, "c");
        try (Broker courtier = DynsecFixtures.courtier(tmp, file)) {
            int port = courtier.port();
            ok(port, "createClient", "sondes", "-p", "s3cret");
            ok(port, "createRole", "capteurs");
            ok(port, "addRoleACL", "capteurs", "publishClientSend", "maison/#", "allow");
            ok(port, "addClientRole", "sondes", "capteurs");
            ok(port, "createClient", "tableau", "-p", "t4b");
            ok(port, "createGroup", "lecteurs");
            ok(port, "createRole", "lecture");
            ok(port, "addRoleACL", "lecture", "subscribePattern", "#", "allow");
            ok(port, "addRoleACL", "lecture", "publishClientReceive", "maison/cave/#", "deny", "5");
            ok(port, "addGroupRole", "lecteurs", "lecture");
            ok(port, "addGroupClient", "lecteurs", "tableau");

            try (Sub sub = Sub.start(port, "tableau", "t4b", "#")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> courtier.sessions().connectedCount() == 1);
                assertThat(pub(port, "sondes", "s3cret", "maison/salon", "21")).isZero();
                assertThat(pub(port, "sondes", "s3cret", "jardin/temp", "12")).isZero(); // acknowledged, dropped
                assertThat(pub(port, "sondes", "s3cret", "maison/cave/temp", "9")).isZero(); // not readable
                assertThat(pub(port, "sondes", "wrong", "maison/salon", "x")).isNotZero();
                ok(port, "removeRoleACL", "lecture", "publishClientReceive", "maison/cave/#");
                assertThat(pub(port, "sondes", "s3cret", "maison/cave/temp", "10")).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> sub.lines().contains("maison/cave/temp 10"));
                assertThat(sub.lines()).containsExactly("maison/salon 21", "maison/cave/temp 10");

                // A removed ACL stops delivery to the connected subscriber at once.
                ok(port, "addRoleACL", "lecture", "publishClientReceive", "maison/salon", "deny", "9");
                assertThat(pub(port, "sondes", "s3cret", "maison/salon", "22")).isZero();
                assertThat(pub(port, "sondes", "s3cret", "maison/cuisine", "19")).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> sub.lines().contains("maison/cuisine 19"));
                assertThat(sub.lines()).doesNotContain("maison/salon 22");

                // A disabled client is disconnected and cannot come back.
                ok(port, "disableClient", "tableau");
                await().atMost(Duration.ofSeconds(20)).until(() -> !sub.process().isAlive()
                        || courtier.sessions().connectedCount() == 0);
            }
            assertThat(External.run("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u",
                    "tableau", "-P", "t4b", "-t", "#", "-C", "1", "-W", "3").exitCode()).isNotZero();

            // A deleted client is disconnected too.
            ok(port, "addGroupClient", "lecteurs", "sondes"); // so that it may subscribe
            try (Sub sub = Sub.start(port, "sondes", "s3cret", "maison/#")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> courtier.sessions().connectedCount() == 1);
                ok(port, "deleteClient", "sondes");
                await().atMost(Duration.ofSeconds(20)).until(() -> courtier.sessions().connectedCount() == 0);
            }
            assertThat(pub(port, "sondes", "s3cret", "maison/salon", "x")).isNotZero();
        }
    }

    /**
     * As Debian's mosquitto 2.0.11 does with both: a password_file user the plugin does not know
     * logs in (the plugin defers), but the plugin's ACL gives it nothing; and %u in an ACL topic is
     * not substituted.
     */
    @Test
    void passwordFileUsersLogInButThePluginGrantsThemNothing() throws Exception {
        Path passwords = tmp.resolve("passwd");
        assertThat(External.run("mosquitto_passwd", "-b", "-c", passwords.toString(), "pfuser", "pfpw")
                .exitCode()).isZero();
        Path file = DynsecFixtures.initWithMosquittoCtrl(tmp, "c");
        try (Broker courtier = DynsecFixtures.courtier(tmp, file, "password_file " + passwords)) {
            int port = courtier.port();
            ok(port, "createRole", "own");
            ok(port, "addRoleACL", "own", "publishClientSend", "u/%u/#", "allow");
            ok(port, "createClient", "bob", "-p", "bobpw");
            ok(port, "addClientRole", "bob", "own");
            try (Sub sub = Sub.start(port, "admin", "adminpw", "#")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> courtier.sessions().connectedCount() == 1);
                assertThat(pub(port, "pfuser", "pfpw", "pf/x", "denied")).isZero(); // logged in, then dropped
                assertThat(pub(port, "pfuser", "wrong", "pf/x", "x")).isNotZero();
                assertThat(pub(port, "bob", "bobpw", "u/bob/x", "literal")).isZero(); // %u is literal: dropped
                assertThat(pub(port, "bob", "bobpw", "u/%u/x", "through")).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> sub.lines().contains("u/%u/x through"));
                assertThat(sub.lines()).containsExactly("u/%u/x through");
            }
        }
    }

    @Test
    void onlyTheAdminMayUseControl() throws Exception {
        Path file = DynsecFixtures.initWithMosquittoCtrl(tmp, "c");
        try (Broker courtier = DynsecFixtures.courtier(tmp, file)) {
            int port = courtier.port();
            ok(port, "createClient", "curieux", "-p", "pw");
            ok(port, "createRole", "tout");
            ok(port, "addRoleACL", "tout", "subscribePattern", "#", "allow");
            ok(port, "addClientRole", "curieux", "tout");
            // Its request is acknowledged and dropped by the ACL, as in Mosquitto: nothing is created.
            DynsecFixtures.ctrl(port, "curieux", "pw", "createClient", "intrus", "-p", "x");
            assertThat(DynsecFixtures.ctrl(port, "admin", "adminpw", "getClient", "intrus").stderr())
                    .contains("getClient: Error: Client not found");
        }
    }

    @Test
    void aFileWrittenByMosquittoWorksInCourtierAndTheReverse() throws Exception {
        Path file = DynsecFixtures.initWithMosquittoCtrl(tmp, "shared");
        try (MosquittoBroker m = MosquittoBroker.start(tmp, DynsecFixtures.pluginLines(file))) {
            ok(m.port(), "createClient", "demo", "-p", "fromMosquitto");
            ok(m.port(), "createRole", "demo");
            ok(m.port(), "addRoleACL", "demo", "publishClientSend", "demo/#", "allow");
            ok(m.port(), "addClientRole", "demo", "demo");
        }
        assertThat(Files.readString(file)).contains("\"demo\"");
        try (Broker courtier = DynsecFixtures.courtier(tmp, file)) {
            assertThat(pub(courtier.port(), "demo", "fromMosquitto", "demo/1", "x")).isZero();
            assertThat(pub(courtier.port(), "demo", "wrong", "demo/1", "x")).isNotZero();
            ok(courtier.port(), "setClientPassword", "demo", "fromCourtier");
            ok(courtier.port(), "createClient", "second", "-p", "pw2");
        }
        try (MosquittoBroker m = MosquittoBroker.start(tmp, DynsecFixtures.pluginLines(file))) {
            assertThat(pub(m.port(), "demo", "fromCourtier", "demo/1", "x")).isZero();
            assertThat(pub(m.port(), "second", "pw2", "demo/1", "x")).isZero();
            assertThat(DynsecFixtures.ctrl(m.port(), "admin", "adminpw", "getRole", "demo").stdout())
                    .contains("publishClientSend    : allow : demo/#");
        }
    }

    /** Mosquitto 2.0.11 crashes here; Courtier refuses and keeps the group. */
    @Test
    void theAnonymousGroupCannotBeDeleted() throws Exception {
        Path file = DynsecFixtures.initWithMosquittoCtrl(tmp, "c");
        try (Broker courtier = DynsecFixtures.courtier(tmp, file)) {
            int port = courtier.port();
            ok(port, "createGroup", "invites");
            ok(port, "setAnonymousGroup", "invites");
            assertThat(DynsecFixtures.ctrl(port, "admin", "adminpw", "deleteGroup", "invites").stderr())
                    .endsWith("deleteGroup: Error: Deleting the anonymous group is forbidden\n");
            assertThat(DynsecFixtures.ctrl(port, "admin", "adminpw", "getAnonymousGroup").stdout()).isEqualTo("invites\n");
        }
    }

    @Test
    void aFileThatIsNotJsonStopsStartUp() throws Exception {
        Path file = Files.writeString(tmp.resolve("broken.json"), "{\"clients\": [");
        assertThatThrownBy(() -> DynsecFixtures.courtier(tmp, file).close())
                .hasMessage(file + ": Error loading Dynamic security plugin config: File is not valid JSON.");
    }

    @Test
    void aChangeThatCannotBeSavedIsReportedInTheResponse() throws Exception {
        Path file = DynsecFixtures.initWithMosquittoCtrl(tmp, "gone");
        try (Broker courtier = DynsecFixtures.courtier(tmp, file)) {
            // Root ignores permissions, so take the directory away: nothing can be written there now.
            Files.delete(file);
            Files.delete(file.getParent());
            External.Result r = DynsecFixtures.ctrl(courtier.port(), "admin", "adminpw", "createClient", "x",
                    "-p", "y");
            assertThat(r.stderr()).contains("createClient: Error: Error saving Dynamic security plugin config: "
                    + "File is not writable");
        }
    }
}
