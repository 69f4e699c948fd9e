package io.courtier.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * courtier_VERSION_all.deb, read with Debian's own tools and unpacked with {@code dpkg -x}
 * into a temporary root (installing it for real would need root and would change this machine).
 */
class DebianPackageIT {

    @BeforeEach
    void needsDpkg() {
        External.require("dpkg-deb");
        assertThat(Layout.deb()).as("the build made the package").exists();
    }

    @Test
    void controlNamesAJava17RuntimeAndTheMaintainerScripts() throws Exception {
        Programs.Result info = dpkgDeb("--info", Layout.deb().toString());
        assertThat(info.exitCode()).as(info.output()).isZero();
        assertThat(info.output())
                .contains("Package: courtier", "Architecture: all", "Version: " + Layout.version().replace('-', '~'))
                .containsPattern("Depends: default-jre-headless \\(>= 2:1\\.17\\) \\| java17-runtime-headless")
                .contains("postinst", "prerm", "postrm", "conffiles");

        Programs.Result conffiles = dpkgDeb("--info", Layout.deb().toString(), "conffiles");
        assertThat(conffiles.output().lines()).containsExactly("/etc/courtier/conf.d/README",
                "/etc/courtier/courtier.conf", "/etc/default/courtier", "/etc/logrotate.d/courtier");
    }

    @Test
    void filesGoWhereAServiceExpectsThem() throws Exception {
        Programs.Result contents = dpkgDeb("--contents", Layout.deb().toString());
        assertThat(contents.exitCode()).as(contents.output()).isZero();
        assertThat(contents.output())
                .contains("./usr/bin/courtier -> ../share/courtier/bin/courtier")
                .contains("./usr/share/courtier/lib/courtier-cli-" + Layout.version() + ".jar")
                .contains("./etc/courtier/courtier.conf", "./etc/courtier/conf.d/")
                .contains("./lib/systemd/system/courtier.service")
                .contains("./usr/share/doc/courtier/copyright", "./usr/share/man/man1/courtier.1.gz")
                .doesNotContain("osx", "windows");
        // Owned by root, as dpkg installs files (the builder's uid would leak otherwise).
        assertThat(contents.output().lines()).allMatch(l -> l.contains(" root/root "));
    }

    @Test
    void postinstCreatesTheServiceUserAndItsDirectories(@TempDir Path control) throws Exception {
        Programs.Result extract = dpkgDeb("--control", Layout.deb().toString(), control.toString());
        assertThat(extract.exitCode()).as(extract.output()).isZero();
        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst).contains("adduser --system", "courtier", "/var/lib/courtier", "/var/log/courtier");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Programs.Result syntax = Programs.run(List.of("sh", "-n", control.resolve(script).toString()));
            assertThat(syntax.exitCode()).as(script + " is valid sh: " + syntax.output()).isZero();
        }
    }

    @Test
    void unpackedPackageRunsFromAnyRoot(@TempDir Path root) throws Exception {
        External.require("dpkg");
        Programs.Result x = Programs.run(List.of("dpkg", "-x", Layout.deb().toString(), root.toString()));
        assertThat(x.exitCode()).as(x.output()).isZero();

        Programs.Result version = Programs.run(List.of(root.resolve("usr/bin/courtier").toString(), "--version"));
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("courtier version " + Layout.version());

        String conf = Files.readString(root.resolve("etc/courtier/courtier.conf"));
        assertThat(conf).containsPattern("(?m)^persistence_location /var/lib/courtier/$")
                .containsPattern("(?m)^include_dir /etc/courtier/conf.d$");
    }

    /**
     * The packaged /etc/courtier/courtier.conf starts a broker through /usr/bin/courtier, with
     * its paths moved into the unpacked root and its port moved by a file in conf.d (as an
     * administrator would change it without touching the conffile).
     */
    @Test
    void packagedConfigurationRunsABrokerAndReadsConfD(@TempDir Path root) throws Exception {
        External.require("dpkg");
        External.require("mosquitto_sub");
        Programs.run(List.of("dpkg", "-x", Layout.deb().toString(), root.toString()));
        Path etc = root.resolve("etc/courtier");
        Path data = Files.createDirectories(root.resolve("var/lib/courtier"));
        String conf = Files.readString(etc.resolve("courtier.conf"));
        String location = "\npersistence_location /var/lib/courtier/\n";
        String include = "\ninclude_dir /etc/courtier/conf.d\n";
        String listener = "\nlistener 1883 127.0.0.1\n";
        assertThat(conf).contains(location, include, listener);
        String moved = conf.replace(location, "\npersistence_location " + data + "/\n")
                .replace(include, "\ninclude_dir " + etc.resolve("conf.d") + "\n")
                .replace(listener, "\n")
                .replace(TarballIT.CONSOLE, "\nlistener 0 127.0.0.1\nprotocol http\n");
        Files.writeString(etc.resolve("courtier.conf"), moved);
        int port = External.freePort();
        Files.writeString(etc.resolve("conf.d/local.conf"), "listener " + port + " 127.0.0.1\n");

        Path log = root.resolve("broker.log");
        Process broker = Programs.withJava(new ProcessBuilder(root.resolve("usr/bin/courtier").toString(),
                        "-c", etc.resolve("courtier.conf").toString()))
                .directory(data.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Brokers.awaitListening(port, broker, log);
            assertThat(Brokers.version(port)).isEqualTo("courtier version " + Layout.version());
            broker.destroy();
            assertThat(broker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(broker.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void systemdAcceptsTheUnit(@TempDir Path root) throws Exception {
        External.require("dpkg");
        External.require("systemd-analyze");
        Programs.run(List.of("dpkg", "-x", Layout.deb().toString(), root.toString()));
        // Checked as installed, except that ExecStart points into the unpacked root: systemd
        // checks the program exists.
        String unit = Files.readString(root.resolve("lib/systemd/system/courtier.service"));
        assertThat(unit).contains("ExecStart=/usr/bin/courtier -c /etc/courtier/courtier.conf");
        Path copy = root.resolve("courtier.service");
        Files.writeString(copy, unit.replace("ExecStart=/usr/bin/courtier", "ExecStart=" + root.resolve("usr/bin/courtier")));

        Programs.Result verify = Programs.run(List.of("systemd-analyze", "verify", "--man=no", copy.toString()));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        // verify exits 0 on unknown keys or bad values too; it only warns.
        assertThat(verify.output()).as("systemd-analyze has no complaint").isBlank();
    }

    private static Programs.Result dpkgDeb(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg-deb"));
        command.addAll(List.of(args));
        return Programs.run(command);
    }
}
