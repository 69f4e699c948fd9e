package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.External;
import io.courtier.testkit.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courtier ctrl} against {@code mosquitto_ctrl}: the same commands, each tool against its
 * own Courtier broker started on identical files, must print the same bytes and exit the same
 * (the encryption warning names the tool that prints it). And a file {@code courtier ctrl dynsec
 * init} writes is one Debian's mosquitto runs with.
 */
class CtrlGoldenTest {

    @TempDir
    Path tmp;

    /** Every dynsec command mosquitto_ctrl has, with errors and bad arguments. */
    static final List<String> SCRIPT = List.of(
            "createClient cli2 -p secret -c cid2", "createClient cli2 -p x", "createClient nopw", "getClient cli2",
            "getClient nopw", "createRole role2", "addRoleACL role2 publishClientSend x/# allow 5",
            "addRoleACL role2 subscribeLiteral x/# deny", "addRoleACL role2 subscribeLiteral x/# deny",
            "addRoleACL role2 publishClientSend x maybe", "getRole role2", "listRoles", "listRoles 1 1",
            "createGroup grp2", "addGroupRole grp2 role2 3", "addGroupRole grp2 admin", "addGroupClient grp2 cli2 4",
            "addGroupClient grp2 nopw", "getGroup grp2", "listGroups", "addClientRole cli2 role2 7",
            "addClientRole cli2 admin", "getClient cli2", "listClients", "listClients 1 1", "listClients x",
            "setAnonymousGroup grp2", "getAnonymousGroup", "getDefaultACLAccess",
            "setDefaultACLAccess publishClientSend allow", "getDefaultACLAccess", "setDefaultACLAccess bogus allow",
            "disableClient cli2", "getClient cli2", "enableClient cli2", "setClientId cli2 newid", "getClient cli2",
            "setClientId cli2", "setClientPassword cli2 pw2", "setClientPassword cli2",
            "removeClientRole cli2 role2", "removeGroupClient grp2 cli2", "removeGroupRole grp2 role2",
            "removeRoleACL role2 publishClientSend x/#", "removeRoleACL role2 publishClientSend x/#",
            "deleteRole nosuch", "deleteClient nosuch", "getClient nosuch", "getGroup nosuch", "getRole nosuch",
            "createGroup g3", "setAnonymousGroup g3", "deleteGroup grp2", "deleteRole role2", "deleteClient cli2",
            "listClients", "bogusCmd", "createClient", "addRoleACL role2");

    @Test
    void everyDynsecCommandPrintsWhatMosquittoCtrlPrints() throws Exception {
        External.require("mosquitto_ctrl");
        Path mosquittoSide = init("m");
        Path courtierSide = init("c");
        try (Broker a = start(mosquittoSide); Broker b = start(courtierSide)) {
            for (String line : SCRIPT) {
                String[] words = line.split(" ");
                Run.Result expected = Run.mosquittoNow("mosquitto_ctrl", args(a.port(), words));
                Run.Result actual = Run.courtierCtrl(args(b.port(), words));
                assertThat(actual.out()).as(line).isEqualTo(expected.out());
                assertThat(actual.stderr()).as(line)
                        .isEqualTo(expected.stderr().replace("running mosquitto_ctrl", "running courtier ctrl"));
                assertThat(actual.status()).as(line).isEqualTo(expected.status());
            }
        }
    }

    @Test
    void initWritesAFileDebiansMosquittoRunsWith() throws Exception {
        External.require("mosquitto_ctrl");
        Path dir = Files.createDirectories(tmp.resolve("init"));
        // Debian's broker runs as user mosquitto: it must reach and read the file.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = dir.resolve("dynamic-security.json");
        Run.Result init = Run.courtierCtrl("dynsec", "init", file.toString(), "chef", "s3cret");
        assertThat(init.status()).isZero();
        assertThat(init.out()).startsWith("The client 'chef' has been created in the file '" + file + "'.\n");
        assertThat(Run.courtierCtrl("dynsec", "init", file.toString(), "chef", "x").stderr())
                .isEqualTo("dynsec init: '" + file + "' already exists. Remove the file or use a different location..\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (MosquittoBroker m = MosquittoBroker.inTempDir("plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_config_file " + file)) {
            Run.Result r = Run.mosquittoNow("mosquitto_ctrl", "-h", "127.0.0.1", "-p", Integer.toString(m.port()), "-u",
                    "chef", "-P", "s3cret", "dynsec", "getClient", "chef");
            assertThat(r.out()).isEqualTo("Username: chef\nClientid:\nRoles:    admin (priority: -1)\n");
        }
    }

    private Path init(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path file = dir.resolve("dynamic-security.json");
        assertThat(Run.courtierCtrl("dynsec", "init", file.toString(), "admin", "adminpw").status()).isZero();
        return file;
    }

    private Broker start(Path file) throws Exception {
        int port = External.freePort();
        Path conf = Files.writeString(file.resolveSibling("courtier.conf"), "listener " + port + " 127.0.0.1\n"
                + "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so\n"
                + "plugin_opt_config_file " + file + "\n");
        return Broker.start(ConfigParser.parse(conf).config(), "test");
    }

    private static String[] args(int port, String[] command) {
        List<String> a = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-u", "admin", "-P",
                "adminpw", "dynsec"));
        a.addAll(List.of(command));
        return a.toArray(String[]::new);
    }
}
