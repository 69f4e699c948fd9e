package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every directive, read well and read badly, with the exact message a user sees. */
class ConfigParserTest {

    @TempDir
    Path tmp;
    ConfigFiles files;

    @BeforeEach
    void setUp() throws Exception {
        files = new ConfigFiles(tmp);
        files.write("passwd", "sondes:$7$101$c2FsdHNhbHRzYWx0$aGFzaA==");
        files.write("acl", "topic read #");
        files.write("server.crt", "-----BEGIN CERTIFICATE-----");
        files.write("server.key", "-----BEGIN PRIVATE KEY-----");
        files.write("ca.crt", "-----BEGIN CERTIFICATE-----");
        files.write("crl.pem", "-----BEGIN X509 CRL-----");
        Files.createDirectories(tmp.resolve("certs"));
        Files.createDirectories(tmp.resolve("www"));
    }

    private String in(String value) {
        return value.replace("{dir}", tmp.toString());
    }

    // ---- syntax -----------------------------------------------------------------------------

    @Test
    void commentsAndBlankLinesAreSkipped() throws Exception {
        BrokerConfig c = files.config("# a comment", "", "   # indented comment", "listener 0", "  sys_interval 5  ");
        assertThat(c.sysInterval()).isEqualTo(5);
    }

    @Test
    void aTrailingCommentIsNotPartOfTheValue() throws Exception {
        // The lines as tutorials print them; Mosquitto 2.0.11 starts with each of them.
        BrokerConfig c = files.config("allow_anonymous true # A modifier : false -> true",
                "listener 0 # A ajouter", "max_inflight_messages 5\t# tab before",
                "listener 0 127.0.0.1 # Note that this will not allow anonymous access by default.",
                "protocol websockets # A ajouter", "persistence true # ...",
                "persistence_location {dir}/ # where".replace("{dir}", tmp.toString()),
                "password_file {dir}/passwd # the users".replace("{dir}", tmp.toString()),
                "auto_id_prefix kitchen- # not part of the prefix");
        assertThat(c.allowAnonymous(c.listeners().get(0))).isTrue();
        assertThat(c.maxInflightMessages()).isEqualTo(5);
        assertThat(c.listeners()).extracting(ListenerConfig::bindAddress).containsExactly(null, "127.0.0.1");
        assertThat(c.listeners().get(1).protocol()).isEqualTo(ListenerProtocol.WEBSOCKETS);
        assertThat(c.persistence()).isTrue();
        assertThat(c.persistenceLocation()).isEqualTo(Path.of(tmp + "/"));
        assertThat(c.security().passwordFile()).isEqualTo(tmp.resolve("passwd"));
        assertThat(c.security().autoIdPrefix()).isEqualTo("kitchen-");
        // A # inside a word is not a comment; a comment alone is no value.
        assertThat(files.error("listener 0", "auto_id_prefix a#b", "allow_anonymous true#x"))
                .isEqualTo("test.conf:3: Invalid allow_anonymous value (true#x): must be true or false.");
        assertThat(files.error("listener 0 # only a comment", "password_file # none"))
                .isEqualTo("test.conf:2: Empty password_file value in configuration.");
    }

    @Test
    void emptyFileIsLocalOnly() throws Exception {
        BrokerConfig c = files.config("# nothing");
        assertThat(c.localOnly()).isTrue();
        assertThat(c.listeners()).extracting(ListenerConfig::bindAddress).containsExactly("127.0.0.1", "::1");
        assertThat(c.listeners()).extracting(ListenerConfig::port).containsOnly(1883);
        assertThat(c.allowAnonymous(c.listeners().get(0))).isTrue();
    }

    @Test
    void globalOptionsAloneStayLocalOnly() throws Exception {
        BrokerConfig c = files.config("sys_interval 5", "allow_anonymous true", "persistence true");
        assertThat(c.localOnly()).isTrue();
        assertThat(c.listeners()).hasSize(2);
    }

    @Test
    void localOnlyHonoursAnExplicitAllowAnonymousFalse() throws Exception {
        BrokerConfig c = files.config("allow_anonymous false", "password_file " + files.path("passwd"));
        assertThat(c.localOnly()).isTrue();
        assertThat(c.allowAnonymous(c.listeners().get(0))).isFalse();
    }

    @Test
    void aListenerTurnsAnonymousOffByDefault() throws Exception {
        BrokerConfig c = files.config("listener 1883");
        assertThat(c.localOnly()).isFalse();
        assertThat(c.allowAnonymous(c.listeners().get(0))).isFalse();
        assertThat(files.config("listener 1883", "allow_anonymous true").allowAnonymous(c.listeners().get(0))).isTrue();
    }

    @Test
    void consoleAdministratorsHostsAndTheHardeningCapsAreRead() throws Exception {
        BrokerConfig c = files.config("console_admin alice", "console_admin bob", "console_host Broker.Example",
                "console_host [::1]", "max_subscriptions_per_client 100", "max_queued_bytes_total 1000000");
        assertThat(c.console().admins()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(c.console().hosts()).containsExactlyInAnyOrder("broker.example", "[::1]");
        assertThat(c.maxSubscriptionsPerClient()).isEqualTo(100);
        assertThat(c.maxQueuedBytesTotal()).isEqualTo(1_000_000);
        assertThat(files.error("console_host broker.example:8080")).contains(":1: console_host takes a host name");
        assertThat(files.error("console_admin")).contains(":1:");
        assertThat(files.error("max_queued_bytes_total lots")).contains(":1: Invalid max_queued_bytes_total value");
    }

    @Test
    void unknownDirectiveStopsWithFileAndLine() throws Exception {
        assertThat(files.error("listener 0", "allow_anonymous true", "foo bar"))
                .isEqualTo("test.conf:3: Unknown configuration variable \"foo\".");
    }

    @Test
    void missingConfigFileIsAnError() {
        Path missing = tmp.resolve("missing.conf");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigParser.parse(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Unable to open config file " + missing + " (no such file or directory).");
    }

    // ---- listeners --------------------------------------------------------------------------

    @Test
    void listenerBlocksEachGetTheirOptions() throws Exception {
        BrokerConfig c = files.config(
                "listener 1883",
                "max_connections 10",
                "socket_domain ipv4",
                "bind_interface eth0",
                "listener 8883 127.0.0.1",
                "protocol websockets",
                "mount_point site/",
                "max_connections -5",
                "listener 8080",
                "protocol http",
                "http_dir " + files.path("www"),
                "socket_domain ipv6",
                "listener 1884",
                "protocol mqtt");
        List<ListenerConfig> l = c.listeners();
        assertThat(l).extracting(ListenerConfig::port).containsExactly(1883, 8883, 8080, 1884);
        assertThat(l.get(0)).extracting(ListenerConfig::maxConnections, ListenerConfig::socketDomain,
                ListenerConfig::bindInterface, ListenerConfig::bindAddress).containsExactly(10, "ipv4", "eth0", null);
        assertThat(l.get(1)).extracting(ListenerConfig::bindAddress, ListenerConfig::protocol,
                ListenerConfig::mountPoint, ListenerConfig::maxConnections)
                .containsExactly("127.0.0.1", ListenerProtocol.WEBSOCKETS, "site/", -1);
        assertThat(l.get(2)).extracting(ListenerConfig::protocol, ListenerConfig::httpDir, ListenerConfig::socketDomain)
                .containsExactly(ListenerProtocol.HTTP, files.path("www"), "ipv6");
        assertThat(l.get(3).protocol()).isEqualTo(ListenerProtocol.MQTT);
        assertThat(l).allMatch(x -> x.tls() == null && x.security() == null && x.websocketsHeadersSize() == 4096);
    }

    @Test
    void mountPointIsReadForItsListener() throws Exception {
        ParsedConfig p = files.parse("listener 1883", "mount_point tenant1/");
        assertThat(p.config().listeners().get(0).mountPoint()).isEqualTo("tenant1/");
        assertThat(p.warnings()).isEmpty(); // applied (MountPointTest)
    }

    @Test
    void portAndBindAddressMakeTheDefaultListenerAfterTheBlocks() throws Exception {
        BrokerConfig c = files.config("port 1884", "bind_address 127.0.0.1", "listener 1885");
        assertThat(c.localOnly()).isFalse();
        assertThat(c.listeners()).extracting(ListenerConfig::port, ListenerConfig::bindAddress)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1885, null),
                        org.assertj.core.groups.Tuple.tuple(1884, "127.0.0.1"));
    }

    @Test
    void listenerOptionsBeforeAnyListenerStartTheDefaultListener() throws Exception {
        // As mosquitto 2.0.11: "max_connections 10" alone opens port 1883 on every address.
        BrokerConfig c = files.config("max_connections 10");
        assertThat(c.localOnly()).isFalse();
        assertThat(c.listeners()).singleElement().extracting(ListenerConfig::port, ListenerConfig::bindAddress,
                ListenerConfig::maxConnections).containsExactly(1883, null, 10);
    }

    @Test
    void websocketsHeadersSizeIsGlobal() throws Exception {
        BrokerConfig c = files.config("listener 1883", "websockets_headers_size 8192", "listener 8080");
        assertThat(c.listeners()).extracting(ListenerConfig::websocketsHeadersSize).containsOnly(8192);
        assertThat(files.config("listener 1", "websockets_headers_size 0").listeners().get(0).websocketsHeadersSize())
                .isEqualTo(4096);
    }

    @Test
    void duplicatePortIsAnError() throws Exception {
        assertThat(files.error("listener 1883", "allow_anonymous true", "listener 1883"))
                .isEqualTo("test.conf:3: Duplicate listener on port 1883 (already declared at test.conf:1).");
        assertThat(files.error("listener 1883", "port 1883"))
                .isEqualTo("test.conf:2: Duplicate listener on port 1883 (already declared at test.conf:1).");
        assertThat(files.error("listener 1883 127.0.0.1", "listener 1883"))
                .isEqualTo("test.conf:2: Duplicate listener on port 1883 (already declared at test.conf:1).");
    }

    @Test
    void samePortOnTwoAddressesOrPortZeroTwiceIsFine() throws Exception {
        assertThat(files.config("listener 1883 127.0.0.1", "listener 1883 ::1").listeners()).hasSize(2);
        assertThat(files.config("listener 0", "listener 0").listeners()).hasSize(2);
    }

    @Test
    void unixSocketListenerIsSkippedWithAWarning() throws Exception {
        ParsedConfig p = files.parse("listener 0 /run/mosquitto.sock", "max_connections 5", "listener 1883");
        assertThat(p.config().listeners()).singleElement().extracting(ListenerConfig::port, ListenerConfig::maxConnections)
                .containsExactly(1883, -1);
        assertThat(p.warnings()).containsExactly(files.path("test.conf")
                + ":1: listener on Unix socket /run/mosquitto.sock is not supported by Courtier; skipped.");
    }

    @Test
    void tlsListener() throws Exception {
        BrokerConfig c = files.config(
                "listener 8883",
                "certfile " + files.path("server.crt"),
                "keyfile " + files.path("server.key"),
                "cafile " + files.path("ca.crt"),
                "capath " + files.path("certs"),
                "crlfile " + files.path("crl.pem"),
                "tls_version tlsv1.3",
                "ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256",
                "ciphers_tls1.3 TLS_AES_256_GCM_SHA384",
                "require_certificate true",
                "use_identity_as_username true",
                "use_subject_as_username false",
                "listener 1883");
        TlsConfig t = c.listeners().get(0).tls();
        assertThat(t).isEqualTo(new TlsConfig(tmp.resolve("server.crt"), tmp.resolve("server.key"),
                tmp.resolve("ca.crt"), tmp.resolve("certs"), "tlsv1.3",
                "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256", tmp.resolve("crl.pem"), true, true, false,
                "TLS_AES_256_GCM_SHA384"));
        assertThat(c.listeners().get(1).tls()).isNull();
    }

    @Test
    void tlsWithoutKeyfileIsAnError() throws Exception {
        assertThat(files.error("listener 8883", "certfile " + files.path("server.crt")))
                .isEqualTo("test.conf:1: Listener on port 8883 sets certfile but TLS needs both certfile and keyfile.");
        assertThat(files.error("listener 8883", "require_certificate true"))
                .isEqualTo("test.conf:1: Listener on port 8883 sets require_certificate but TLS needs both certfile"
                        + " and keyfile.");
        assertThat(files.config("listener 1883", "require_certificate false").listeners().get(0).tls()).isNull();
    }

    // ---- per_listener_settings ---------------------------------------------------------------

    @Test
    void securityIsGlobalByDefault() throws Exception {
        BrokerConfig c = files.config(
                "listener 1883",
                "allow_anonymous true",
                "password_file " + files.path("passwd"),
                "acl_file " + files.path("acl"),
                "allow_zero_length_clientid false",
                "auto_id_prefix gen-",
                "listener 1884");
        assertThat(c.perListenerSettings()).isFalse();
        assertThat(c.security()).isEqualTo(new SecurityConfig(true, tmp.resolve("passwd"), tmp.resolve("acl"), false,
                "gen-"));
        assertThat(c.listeners()).allMatch(l -> l.security() == null && c.securityFor(l) == c.security());
    }

    @Test
    void perListenerSettingsGiveEachListenerItsOwn() throws Exception {
        BrokerConfig c = files.config(
                "per_listener_settings true",
                "listener 1883",
                "allow_anonymous true",
                "auto_id_prefix lan-",
                "listener 8883",
                "password_file " + files.path("passwd"),
                "acl_file " + files.path("acl"),
                "allow_zero_length_clientid false");
        assertThat(c.perListenerSettings()).isTrue();
        ListenerConfig lan = c.listeners().get(0);
        ListenerConfig secure = c.listeners().get(1);
        assertThat(c.securityFor(lan)).isEqualTo(new SecurityConfig(true, null, null, true, "lan-"));
        assertThat(c.allowAnonymous(lan)).isTrue();
        assertThat(c.securityFor(secure)).isEqualTo(new SecurityConfig(null, tmp.resolve("passwd"),
                tmp.resolve("acl"), false, "auto-"));
        assertThat(c.allowAnonymous(secure)).isFalse();
        assertThat(c.security()).isEqualTo(SecurityConfig.DEFAULT);
    }

    @Test
    void perListenerSettingsMustComeFirst() throws Exception {
        assertThat(files.error("allow_anonymous true", "per_listener_settings true", "listener 1883"))
                .isEqualTo("test.conf:2: per_listener_settings must be set before any other security settings"
                        + " (test.conf:1 allow_anonymous comes first).");
    }

    @Test
    void perListenerSecurityBeforeAnyListenerAppliesToTheUnstartedDefaultListener() throws Exception {
        // mosquitto 2.0.11 refuses anonymous clients on 1883 here: the line configured the default listener.
        ParsedConfig p = files.parse("per_listener_settings true", "allow_anonymous true", "listener 1883");
        assertThat(p.config().allowAnonymous(p.config().listeners().get(0))).isFalse();
        assertThat(p.warnings()).singleElement().asString().endsWith("test.conf:2: allow_anonymous comes before any"
                + " listener, so under per_listener_settings it applies to the default listener, which is not"
                + " started: move it into a listener block.");
    }

    @Test
    void perListenerSecurityInLocalOnlyModeAppliesToTheLocalListeners() throws Exception {
        BrokerConfig c = files.config("per_listener_settings true", "allow_anonymous false");
        assertThat(c.localOnly()).isTrue();
        assertThat(c.allowAnonymous(c.listeners().get(0))).isFalse();
    }

    // ---- global directives -------------------------------------------------------------------

    @Test
    void defaultsAreMosquittos() throws Exception {
        BrokerConfig c = files.config("listener 0");
        assertThat(c.maxKeepalive()).isEqualTo(65535);
        assertThat(c.persistentClientExpiration()).isZero();
        assertThat(c.maxInflightMessages()).isEqualTo(20);
        assertThat(c.maxQueuedMessages()).isEqualTo(1000);
        assertThat(c.maxInflightBytes()).isZero();
        assertThat(c.maxQueuedBytes()).isZero();
        assertThat(c.messageSizeLimit()).isZero();
        assertThat(c.maxPacketSize()).isZero();
        assertThat(c.maxQos()).isEqualTo(2);
        assertThat(c.sysInterval()).isEqualTo(10);
        assertThat(c.persistence()).isFalse();
        assertThat(c.persistenceFile()).isEqualTo("mosquitto.db");
        assertThat(c.autosaveInterval()).isEqualTo(1800);
        assertThat(c.logDest()).containsExactly(LogDestination.STDERR);
        assertThat(c.logTypes()).containsExactlyInAnyOrder("error", "warning", "notice", "information");
        assertThat(c.logTimestamp()).isTrue();
        assertThat(c.logTimestampFormat()).isNull();
        assertThat(c.connectionMessages()).isTrue();
        assertThat(c.retainAvailable()).isTrue();
        assertThat(c.queueQos0Messages()).isFalse();
        assertThat(c.upgradeOutgoingQos()).isFalse();
        assertThat(c.setTcpNodelay()).isFalse();
        assertThat(c.security()).isEqualTo(SecurityConfig.DEFAULT);
        assertThat(c.clientidPrefixes()).isEmpty();
    }

    @Test
    void everyGlobalDirective() throws Exception {
        ParsedConfig p = files.parse(
                "listener 0",
                "clientid_prefixes secure-",
                "max_keepalive 120",
                "persistent_client_expiration 14d",
                "max_inflight_messages 5",
                "max_inflight_bytes 100000",
                "max_queued_messages 200",
                "max_queued_bytes 1000000",
                "queue_qos0_messages true",
                "message_size_limit 1024",
                "max_packet_size 2048",
                "retain_available false",
                "max_qos 1",
                "upgrade_outgoing_qos true",
                "sys_interval 0",
                "persistence true",
                "persistence_location /var/lib/courtier/",
                "persistence_file broker.db",
                "autosave_interval 60",
                "autosave_on_changes true",
                "persistence_sync interval",
                "connection_messages false",
                "pid_file /run/courtier.pid",
                "user courtier",
                "set_tcp_nodelay true");
        BrokerConfig c = p.config();
        assertThat(c.clientidPrefixes()).containsExactly("secure-");
        assertThat(p.warnings()).containsExactly(
                files.path("test.conf") + ":2: clientid_prefixes is deprecated in Mosquitto; it still works in Courtier.");
        // After a listener line, max_keepalive and max_qos are that listener's own (ListenerLimitsTest).
        assertThat(c.listeners().get(0).limits().maxKeepalive(c)).isEqualTo(120);
        assertThat(c.persistentClientExpiration()).isEqualTo(14 * 86400L);
        assertThat(c.maxInflightMessages()).isEqualTo(5);
        assertThat(c.maxInflightBytes()).isEqualTo(100000);
        assertThat(c.maxQueuedMessages()).isEqualTo(200);
        assertThat(c.maxQueuedBytes()).isEqualTo(1000000);
        assertThat(c.queueQos0Messages()).isTrue();
        assertThat(c.messageSizeLimit()).isEqualTo(1024);
        assertThat(c.maxPacketSize()).isEqualTo(2048);
        assertThat(c.retainAvailable()).isFalse();
        assertThat(c.listeners().get(0).limits().maxQos(c)).isEqualTo(1);
        assertThat(c.upgradeOutgoingQos()).isTrue();
        assertThat(c.sysInterval()).isZero();
        assertThat(c.persistence()).isTrue();
        assertThat(c.persistenceLocation()).isEqualTo(Path.of("/var/lib/courtier/"));
        assertThat(c.persistenceFile()).isEqualTo("broker.db");
        assertThat(c.autosaveInterval()).isEqualTo(60);
        assertThat(c.autosaveOnChanges()).isTrue();
        assertThat(c.persistenceSync()).isEqualTo(PersistenceSync.INTERVAL);
        assertThat(c.connectionMessages()).isFalse();
        assertThat(c.pidFile()).isEqualTo(Path.of("/run/courtier.pid"));
        assertThat(c.user()).isEqualTo("courtier");
        assertThat(c.setTcpNodelay()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3h | 10800",
            "2d | 172800",
            "1w | 604800",
            "2m | 5184000",
            "1y | 31536000"})
    void persistentClientExpirationUnits(String value, long seconds) throws Exception {
        assertThat(files.config("listener 0", "persistent_client_expiration " + value).persistentClientExpiration())
                .isEqualTo(seconds);
    }

    @Test
    void negativeLimitsMeanNoLimitAsInMosquitto() throws Exception {
        BrokerConfig c = files.config("listener 0", "max_inflight_messages -1", "max_queued_messages -1",
                "autosave_interval -1");
        assertThat(c.maxInflightMessages()).isZero();
        assertThat(c.maxQueuedMessages()).isZero();
        assertThat(c.autosaveInterval()).isZero();
    }

    @Test
    void booleansAcceptOneAndZero() throws Exception {
        assertThat(files.config("listener 0", "retain_available 0").retainAvailable()).isFalse();
        assertThat(files.config("listener 0", "set_tcp_nodelay 1").setTcpNodelay()).isTrue();
    }

    // ---- logging -----------------------------------------------------------------------------

    @Test
    void logDestinationsAccumulateAfterReplacingTheDefault() throws Exception {
        BrokerConfig c = files.config("listener 0", "log_dest stdout", "log_dest file " + files.path("broker.log"),
                "log_dest topic", "log_dest stdout");
        assertThat(c.logDest()).containsExactly(LogDestination.STDOUT,
                LogDestination.file(tmp.resolve("broker.log")), LogDestination.TOPIC);
        assertThat(files.config("listener 0", "log_dest stdout", "log_dest none").logDest()).isEmpty();
    }

    @Test
    void logDestSyslogIsADestination() throws Exception {
        ParsedConfig p = files.parse("listener 0", "log_dest syslog");
        assertThat(p.config().logDest()).containsExactly(LogDestination.SYSLOG);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void logTypesAccumulateAfterReplacingTheDefault() throws Exception {
        assertThat(files.config("listener 0", "log_type error", "log_type subscribe").logTypes())
                .containsExactlyInAnyOrder("error", "subscribe");
        assertThat(files.config("listener 0", "log_type all").logTypes()).containsExactlyInAnyOrder("error",
                "warning", "notice", "information", "subscribe", "unsubscribe", "websockets", "debug");
        assertThat(files.config("listener 0", "log_type all", "log_type none").logTypes()).isEmpty();
    }

    @Test
    void logTimestampDirectives() throws Exception {
        BrokerConfig c = files.config("listener 0", "log_timestamp false", "log_timestamp_format %Y-%m-%dT%H:%M:%S");
        assertThat(c.logTimestamp()).isFalse();
        assertThat(c.logTimestampFormat()).isEqualTo("%Y-%m-%dT%H:%M:%S");
        assertThat(files.config("listener 0", "log_timestamp_format %d %b %H:%M").logTimestampFormat())
                .isEqualTo("%d %b %H:%M");
    }

    // ---- directives Courtier does not implement ----------------------------------------------

    @Test
    void unimplementedDirectivesAreWarnedOneLineEach() throws Exception {
        ParsedConfig p = files.parse(
                "listener 0",
                "bridge_identity me",
                "bridge_psk 0102",
                "bridge_require_ocsp true",
                "memory_limit 0",
                "auth_plugin /usr/lib/auth.so",
                "auth_opt_backend mysql",
                "plugin /usr/lib/dynsec.so",
                "psk_hint hint",
                "websockets_log_level 255",
                "tls_engine pkcs11",
                "tls_keyform engine");
        String f = files.path("test.conf");
        assertThat(p.warnings()).containsExactly(
                f + ":2: bridge_identity is not supported by Courtier (TLS-PSK is not supported; bridges use "
                        + "certificates); ignored.",
                f + ":3: bridge_psk is not supported by Courtier (TLS-PSK is not supported; bridges use "
                        + "certificates); ignored.",
                f + ":4: bridge_require_ocsp is not supported by Courtier (Courtier's bridges do not implement it); "
                        + "ignored.",
                f + ":5: memory_limit is not supported by Courtier (not supported); ignored.",
                f + ":6: auth_plugin is not supported by Courtier (of Mosquitto's auth plugins only "
                        + "mosquitto-go-auth's http and jwt backends are implemented); ignored.",
                f + ":7: auth_opt_backend is not supported by Courtier (it belongs to a plugin Courtier does not "
                        + "load); ignored.",
                f + ":8: plugin is not supported by Courtier (C plugins are not loaded; Java plugins are: "
                        + "plugin x.jar); ignored.",
                f + ":9: psk_hint is not supported by Courtier (TLS-PSK is not supported); ignored.",
                f + ":10: websockets_log_level is not supported by Courtier (it configures libwebsockets, which"
                        + " Courtier does not use); ignored.",
                f + ":11: tls_engine is not supported by Courtier (OpenSSL engines are not supported: keys are read"
                        + " from keyfile); ignored.",
                f + ":12: tls_keyform is not supported by Courtier (keys are read from keyfile as PEM); ignored.");
    }

    @Test
    void theDynamicSecurityPluginTurnsOnCourtiersOwnFromAnyDirectory() throws Exception {
        files.write("dynsec.json", "{}");
        ParsedConfig p = files.parse(
                "listener 0",
                "plugin /opt/nowhere/mosquitto_dynamic_security.so",
                "plugin_opt_config_file " + tmp.resolve("dynsec.json"),
                "plugin_opt_other 1");
        assertThat(p.config().security().dynamicSecurityFile()).isEqualTo(tmp.resolve("dynsec.json"));
        assertThat(p.warnings()).containsExactly(files.path("test.conf")
                + ":4: plugin_opt_other is not an option of the dynamic security plugin; ignored.");
    }

    @Test
    void theDynamicSecurityPluginWithoutItsFileIsWarnedAndOff() throws Exception {
        ParsedConfig p = files.parse("listener 0", "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");
        assertThat(p.config().security().dynamicSecurityFile()).isNull();
        assertThat(p.warnings()).containsExactly(files.path("test.conf") + ":2: Dynamic security plugin has no "
                + "plugin_opt_config_file defined. The plugin will not be activated.");
    }

    @Test
    void aMissingDynamicSecurityFileStopsStartUp() throws Exception {
        assertThatThrownBy(() -> files.parse("listener 0", "plugin /x/mosquitto_dynamic_security.so",
                "plugin_opt_config_file " + tmp.resolve("none.json")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(files.path("test.conf") + ":3: ");
    }

    @Test
    void underPerListenerSettingsThePluginBelongsToItsListener() throws Exception {
        files.write("dynsec.json", "{}");
        BrokerConfig c = files.config("per_listener_settings true", "listener 0", "listener 1884",
                "plugin /x/mosquitto_dynamic_security.so", "plugin_opt_config_file " + tmp.resolve("dynsec.json"));
        assertThat(c.securityFor(c.listeners().get(0)).dynamicSecurityFile()).isNull();
        assertThat(c.securityFor(c.listeners().get(1)).dynamicSecurityFile()).isEqualTo(tmp.resolve("dynsec.json"));
    }

    // ---- bad values: one line after "listener 0", the exact message --------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "listener | Empty listener value in configuration.",
            "listener abc | Invalid port value (abc): must be a number between 0 and 65535.",
            "listener 99999 | Invalid port value (99999): must be a number between 0 and 65535.",
            "listener 1883 127.0.0.1 extra | Invalid listener value (1883 127.0.0.1 extra): expected PORT [ADDRESS].",
            "port -1 | Invalid port value (-1): must be a number between 0 and 65535.",
            "bind_address | Empty bind_address value in configuration.",
            "bind_interface | Empty bind_interface value in configuration.",
            "socket_domain ipv5 | Invalid socket_domain value (ipv5): must be ipv4, ipv6.",
            "protocol mqtts | Invalid protocol value (mqtts): must be mqtt, websockets, http.",
            "max_connections lots | Invalid max_connections value (lots): not a whole number.",
            "mount_point a/# | Invalid mount_point 'a/#': it must not contain a wildcard character.",
            "http_dir {dir}/nowhere | Unable to open http_dir \"{dir}/nowhere\": no such directory.",
            "websockets_headers_size 70000 | Invalid websockets_headers_size value (70000): must be between 0 and 65535.",
            "allow_anonymous maybe | Invalid allow_anonymous value (maybe): must be true or false.",
            "password_file {dir}/nopasswd | Unable to open password_file \"{dir}/nopasswd\": no such file.",
            "password_file {dir}/certs | Unable to open password_file \"{dir}/certs\": it is a directory.",
            "acl_file {dir}/noacl | Unable to open acl_file \"{dir}/noacl\": no such file.",
            "allow_zero_length_clientid yes | Invalid allow_zero_length_clientid value (yes): must be true or false.",
            "auto_id_prefix | Empty auto_id_prefix value in configuration.",
            "per_listener_settings on | Invalid per_listener_settings value (on): must be true or false.",
            "clientid_prefixes | Empty clientid_prefixes value in configuration.",
            "max_keepalive 5 | Invalid max_keepalive value (5): must be between 10 and 65535.",
            "max_keepalive 70000 | Invalid max_keepalive value (70000): must be between 10 and 65535.",
            "max_keepalive 10 20 | Invalid max_keepalive value (10 20): not a whole number.",
            "persistent_client_expiration 10 | Invalid persistent_client_expiration duration in configuration (10):"
                    + " expected a number followed by h, d, w, m or y, e.g. 14d.",
            "persistent_client_expiration 3x | Invalid persistent_client_expiration duration in configuration (3x):"
                    + " expected a number followed by h, d, w, m or y, e.g. 14d.",
            "persistent_client_expiration d | Invalid persistent_client_expiration duration in configuration (d):"
                    + " expected a number followed by h, d, w, m or y, e.g. 14d.",
            "max_inflight_messages 70000 | Invalid max_inflight_messages value (70000): must be at most 65535.",
            "max_inflight_bytes 1k | Invalid max_inflight_bytes value (1k): not a whole number.",
            "max_queued_messages many | Invalid max_queued_messages value (many): not a whole number.",
            "max_queued_bytes | Empty max_queued_bytes value in configuration.",
            "queue_qos0_messages yes | Invalid queue_qos0_messages value (yes): must be true or false.",
            "message_size_limit 300000000 | Invalid message_size_limit value (300000000): must be between 0 and"
                    + " 268435455.",
            "max_packet_size 10 | Invalid max_packet_size value (10): must be between 20 and 268435455.",
            "max_packet_size 0 | Invalid max_packet_size value (0): must be between 20 and 268435455.",
            "retain_available no | Invalid retain_available value (no): must be true or false.",
            "max_qos 3 | Invalid max_qos value (3): must be between 0 and 2.",
            "upgrade_outgoing_qos 2 | Invalid upgrade_outgoing_qos value (2): must be true or false.",
            "sys_interval -1 | Invalid sys_interval value (-1): must be between 0 and 65535.",
            "persistence yes | Invalid persistence value (yes): must be true or false.",
            "persistence_location | Empty persistence_location value in configuration.",
            "persistence_file | Empty persistence_file value in configuration.",
            "autosave_interval soon | Invalid autosave_interval value (soon): not a whole number.",
            "autosave_on_changes yes | Invalid autosave_on_changes value (yes): must be true or false.",
            "persistence_sync never | Invalid persistence_sync value (never): must be always, interval.",
            "log_dest foo | Invalid log_dest value (foo): must be stdout, stderr, file PATH, syslog, topic or none.",
            "log_dest file | Empty log_dest file value in configuration.",
            "log_dest file {dir}/nodir/broker.log | Unable to open log file {dir}/nodir/broker.log for writing.",
            "log_dest dlt | Invalid log_dest value (dlt): Courtier has no DLT support.",
            "log_type foo | Invalid log_type value (foo): must be one of error, warning, notice, information,"
                    + " subscribe, unsubscribe, websockets, debug, all or none.",
            "log_type | Empty log_type value in configuration.",
            "log_timestamp yes | Invalid log_timestamp value (yes): must be true or false.",
            "log_timestamp_format | Empty log_timestamp_format value in configuration.",
            "connection_messages yes | Invalid connection_messages value (yes): must be true or false.",
            "pid_file | Empty pid_file value in configuration.",
            "user | Empty user value in configuration.",
            "set_tcp_nodelay yes | Invalid set_tcp_nodelay value (yes): must be true or false.",
            "certfile {dir}/missing.crt | Unable to open certfile \"{dir}/missing.crt\": no such file.",
            "keyfile {dir}/missing.key | Unable to open keyfile \"{dir}/missing.key\": no such file.",
            "cafile {dir}/missing.crt | Unable to open cafile \"{dir}/missing.crt\": no such file.",
            "capath {dir}/missing | Unable to open capath \"{dir}/missing\": no such directory.",
            "crlfile {dir}/missing.pem | Unable to open crlfile \"{dir}/missing.pem\": no such file.",
            "tls_version tlsv1.1 | Invalid tls_version value (tlsv1.1): Courtier supports tlsv1.2 and tlsv1.3.",
            "ciphers | Empty ciphers value in configuration.",
            "ciphers_tls1.3 | Empty ciphers_tls1.3 value in configuration.",
            "require_certificate yes | Invalid require_certificate value (yes): must be true or false.",
            "use_identity_as_username yes | Invalid use_identity_as_username value (yes): must be true or false.",
            "use_subject_as_username yes | Invalid use_subject_as_username value (yes): must be true or false.",
            "include_dir {dir}/nowhere | Unable to open include_dir '{dir}/nowhere' (no such file or directory).",
    })
    void badValue(String line, String message) throws Exception {
        assertThat(files.error("listener 0", in(line))).isEqualTo("test.conf:2: " + message.replace("{dir}/", ""));
    }

    @Test
    void mountPointNeedsAListener() throws Exception {
        assertThat(files.error("mount_point site/")).isEqualTo("test.conf:1: You must create a listener before using"
                + " the mount_point option in the configuration file.");
    }

    @Test
    void onlyOneLogFile() throws Exception {
        assertThat(files.error("listener 0", "log_dest file " + files.path("a.log"), "log_dest file "
                + files.path("b.log"))).isEqualTo("test.conf:3: Duplicate \"log_dest file\" value: only one log file"
                + " may be configured.");
    }

    @Test
    void unreadablePasswordFileIsAnError() throws Exception {
        Path pw = files.write("locked", "u:p");
        org.junit.jupiter.api.Assumptions.assumeTrue(pw.toFile().setReadable(false) && !Files.isReadable(pw),
                "running as root: permissions are not enforced");
        assertThat(files.error("listener 0", "password_file " + pw))
                .isEqualTo("test.conf:2: Unable to open password_file \"" + pw + "\": permission denied.");
    }

    @Test
    void setsOfTypesAreCopies() throws Exception {
        assertThat(files.config("listener 0", "log_type error").logTypes()).isEqualTo(Set.of("error"));
    }
}
