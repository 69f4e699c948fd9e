package io.courtier.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.External;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What people download: courtier-VERSION.tar.gz, unpacked into a temporary directory and run
 * as a user would, through bin/courtier.
 */
class TarballIT {

    @TempDir
    static Path unpacked;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(Layout.tarball()).exists();
        Programs.Result tar = Programs.run(List.of("tar", "-xzf", Layout.tarball().toString(), "-C", unpacked.toString()));
        assertThat(tar.exitCode()).as(tar.output()).isZero();
        home = unpacked.resolve("courtier-" + Layout.version());
    }

    @Test
    void unpacksToTheDocumentedLayout() throws IOException {
        assertThat(home.resolve("bin/courtier")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/courtier")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        // Windows' cmd.exe wants CRLF line endings.
        assertThat(Files.readString(home.resolve("bin/courtier.cmd"))).contains("io.courtier.cli.Main %*\r\n");
        assertThat(home.resolve("conf/courtier.conf")).isRegularFile();
        assertThat(home.resolve("conf/conf.d")).isDirectory();
        assertThat(Files.readString(home.resolve("courtier.service")))
                .contains("User=courtier", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure")
                .containsPattern("(?m)^LimitNOFILE=\\d{5,}$");
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        assertThat(home.resolve("README")).isRegularFile();
        assertThat(home.resolve("lib/courtier-cli-" + Layout.version() + ".jar")).isRegularFile();
    }

    /** The Raspberry Pi (aarch64) gets the same native speed-ups as x86-64, and nothing else is shipped. */
    @Test
    void libCarriesLinuxNativesForX8664AndAarch64Only() throws IOException {
        Set<String> entries = new HashSet<>();
        List<String> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                jars.add(jar.getFileName().toString());
                entries.addAll(entryNames(jar));
            }
        }
        assertThat(entries).contains(
                "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                "META-INF/native/libnetty_transport_native_epoll_aarch_64.so",
                "META-INF/native/libnetty_tcnative_linux_x86_64.so",
                "META-INF/native/libnetty_tcnative_linux_aarch_64.so",
                "librocksdbjni-linux64.so",
                "librocksdbjni-linux-aarch64.so");
        assertThat(jars).noneMatch(j -> j.startsWith("netty-tcnative-boringssl-static") && (j.contains("osx") || j.contains("windows")));
    }

    @Test
    void shippedConfigurationDocumentsEveryMosquittoDirective() throws IOException {
        String conf = Files.readString(home.resolve("conf/courtier.conf"));
        for (String directive : MOSQUITTO_DIRECTIVES) {
            assertThat(conf).as("courtier.conf mentions %s", directive)
                    .containsPattern("(?m)^#?" + java.util.regex.Pattern.quote(directive) + "( |$)");
        }
        // Active: a local-only listener, the local-only console and persistence.
        assertThat(conf).containsPattern("(?m)^listener 1883 127\\.0\\.0\\.1$")
                .containsPattern("(?m)^persistence true$")
                .contains(CONSOLE);
    }

    @Test
    void brokerStartedFromTheTarballAnswersMosquittoSubWarnsAboutUserAndExitsZeroOnSigterm(@TempDir Path work) throws Exception {
        External.require("mosquitto_sub");
        int port = External.freePort();
        // A mosquitto.conf moved over as it is often has `user mosquitto`: warned about, not fatal.
        Path conf = configure(work, port, List.of("user mosquitto"));
        Path log = work.resolve("broker.log");
        Process broker = Programs.withJava(new ProcessBuilder(home.resolve("bin/courtier").toString(), "-c", conf.toString()))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Brokers.awaitListening(port, broker, log);
            assertThat(Brokers.version(port)).isEqualTo("courtier version " + Layout.version());

            broker.destroy(); // SIGTERM
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
            assertThat(broker.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("\"user mosquitto\" has no effect", "User=mosquitto");
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void daemonModeReturnsOnceListeningAndKeepsThePidFileWhileRunning(@TempDir Path work) throws Exception {
        External.require("mosquitto_sub");
        int port = External.freePort();
        Path pidFile = work.resolve("courtier.pid");
        Path conf = configure(work, port, List.of("pid_file " + pidFile));
        ProcessHandle daemon = null;
        try {
            Programs.Result start = Programs.run(List.of(home.resolve("bin/courtier").toString(), "-c", conf.toString(), "-d"), work);
            assertThat(start.exitCode()).as(start.output()).isZero();
            assertThat(start.output()).as("a daemon prints nothing once started").isEmpty();

            long pid = Long.parseLong(Files.readString(pidFile).strip());
            daemon = ProcessHandle.of(pid).orElseThrow();
            if (Files.isDirectory(Path.of("/proc/self"))) { // Linux
                assertThat(sessionOf(pid)).as("leads its own session, away from the terminal").isEqualTo(pid);
            }
            assertThat(Brokers.version(port)).isEqualTo("courtier version " + Layout.version());

            daemon.destroy(); // SIGTERM
            ProcessHandle stopping = daemon;
            await().atMost(Duration.ofSeconds(30)).until(() -> !stopping.isAlive());
            assertThat(pidFile).as("removed on a clean exit").doesNotExist();
        } finally {
            if (daemon != null) {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void daemonModeShowsAStartUpErrorAndExitsNonZero(@TempDir Path work) throws Exception {
        Path conf = configure(work, External.freePort(), List.of("max_qos 7"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Programs.Result start = Programs.run(List.of(home.resolve("bin/courtier").toString(), "-c", conf.toString(), "-d"),
                work, java.util.Map.of("TMPDIR", tmp.toString()));
        assertThat(start.exitCode()).isEqualTo(1);
        assertThat(start.output()).containsPattern("courtier\\.conf:\\d+: ").contains("max_qos");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the launcher's start-up scratch files are gone").isEmpty();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /**
     * The shipped courtier.conf with its listener moved to {@code port} and its data to
     * {@code work}, plus {@code extra} lines: what a user does to run it somewhere else.
     */
    /** The shipped console listener; tests move it to a free port so that runs never collide. */
    static final String CONSOLE = "\nlistener 8080 127.0.0.1\nprotocol http\n";

    private static Path configure(Path work, int port, List<String> extra) throws IOException {
        String shipped = Files.readString(home.resolve("conf/courtier.conf"));
        String listener = "\nlistener 1883 127.0.0.1\n";
        String data = "\npersistence_location data/\n";
        assertThat(shipped).contains(listener, data);
        Files.createDirectories(work.resolve("data"));
        String conf = shipped.replace(listener, "\nlistener " + port + " 127.0.0.1\n")
                .replace(CONSOLE, "\nlistener 0 127.0.0.1\nprotocol http\n")
                .replace(data, "\npersistence_location " + work.resolve("data") + "/\n")
                + String.join("\n", extra) + "\n";
        Path file = work.resolve("courtier.conf");
        Files.writeString(file, conf);
        return file;
    }

    /** The session id of a process, from /proc (the daemon test runs on Linux). */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterName[3]); // state ppid pgrp session
    }

    private static Set<String> entryNames(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    /** mosquitto.conf(5)'s directives (Mosquitto 2.0), each of which courtier.conf explains. */
    private static final List<String> MOSQUITTO_DIRECTIVES = List.of(
            "per_listener_settings", "allow_zero_length_clientid", "auto_id_prefix", "check_retain_source",
            "max_inflight_bytes", "max_inflight_messages", "max_keepalive", "max_packet_size", "max_queued_bytes",
            "max_qos", "max_queued_messages", "memory_limit", "message_size_limit", "persistent_client_expiration",
            "pid_file", "queue_qos0_messages", "retain_available", "set_tcp_nodelay", "sys_interval",
            "upgrade_outgoing_qos", "user",
            "listener", "bind_interface", "socket_domain", "max_connections", "max_topic_alias", "mount_point",
            "protocol", "http_dir", "websockets_headers_size", "use_username_as_clientid", "port", "bind_address",
            "certfile", "keyfile", "cafile", "capath", "require_certificate", "use_identity_as_username",
            "use_subject_as_username", "crlfile", "dhparamfile", "tls_version", "ciphers", "ciphers_tls1.3",
            "tls_engine", "tls_keyform", "tls_engine_kpass_sha1", "psk_hint",
            "persistence", "persistence_location", "persistence_file", "autosave_interval", "autosave_on_changes",
            "log_dest", "log_facility", "log_type", "connection_messages", "log_timestamp", "log_timestamp_format",
            "websockets_log_level",
            "clientid_prefixes", "allow_anonymous", "password_file", "psk_file", "acl_file", "plugin", "auth_plugin",
            "connection", "address", "topic", "bridge_bind_address", "bridge_attempt_unsubscribe",
            "bridge_max_packet_size", "bridge_outgoing_retain", "bridge_protocol_version", "cleansession",
            "local_cleansession", "idle_timeout", "keepalive_interval", "local_clientid", "local_username",
            "local_password", "remote_clientid", "remote_username", "remote_password", "notifications",
            "notifications_local_only", "notification_topic", "restart_timeout", "round_robin", "start_type",
            "threshold", "try_private", "bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_keyfile",
            "bridge_insecure", "bridge_require_ocsp", "bridge_alpn", "bridge_tls_version", "bridge_identity",
            "bridge_psk", "include_dir");
}
