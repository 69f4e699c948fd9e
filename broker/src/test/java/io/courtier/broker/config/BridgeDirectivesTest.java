package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code connection} blocks: every bridge directive, Mosquitto 2.0's defaults, and errors with their line. */
class BridgeDirectivesTest {

    @TempDir
    Path dir;

    private ConfigFiles files() {
        return new ConfigFiles(dir);
    }

    @Test
    void theIssuesExampleIsReadWithMosquittosDefaults() throws Exception {
        BrokerConfig c = files().config("listener 0",
                "connection school",
                "address server.lan:1883 backup.lan:1883",
                "topic maison/# out 1 \"\" pi42/",
                "topic commandes/# in 1 \"\" pi42/",
                "remote_clientid pi42",
                "remote_username pi42",
                "remote_password secret",
                "cleansession false",
                "bridge_protocol_version mqttv311");
        BridgeConfig b = c.bridges().get(0);
        assertThat(b.name()).isEqualTo("school");
        assertThat(b.origin()).endsWith("test.conf:2");
        assertThat(b.addresses()).containsExactly(new BridgeConfig.Address("server.lan", 1883),
                new BridgeConfig.Address("backup.lan", 1883));
        assertThat(b.topics()).containsExactly(
                new BridgeTopic("maison/#", BridgeTopic.Direction.OUT, 1, "", "pi42/"),
                new BridgeTopic("commandes/#", BridgeTopic.Direction.IN, 1, "", "pi42/"));
        assertThat(b.remoteClientId()).isEqualTo("pi42");
        assertThat(b.localClientId()).isEqualTo("local.pi42");
        assertThat(b.notificationTopic()).isEqualTo("$SYS/broker/connection/pi42/state");
        assertThat(b.remoteUsername()).isEqualTo("pi42");
        assertThat(b.remotePassword()).isEqualTo("secret");
        assertThat(b.protocol()).isEqualTo(BridgeConfig.Protocol.MQTT311);
        assertThat(b.cleanSession()).isFalse();
        assertThat(b.localCleanSession()).isFalse();
        // Mosquitto 2.0's defaults for what the block does not say.
        assertThat(b.keepaliveInterval()).isEqualTo(60);
        assertThat(b.idleTimeout()).isEqualTo(60);
        assertThat(b.threshold()).isEqualTo(10);
        assertThat(b.startType()).isEqualTo(BridgeConfig.StartType.AUTOMATIC);
        assertThat(b.restartTimeout()).isEqualTo(new BridgeConfig.RestartTimeout(5, 30, false));
        assertThat(b.tryPrivate()).isTrue();
        assertThat(b.notifications()).isTrue();
        assertThat(b.notificationsLocalOnly()).isFalse();
        assertThat(b.attemptUnsubscribe()).isTrue();
        assertThat(b.outgoingRetain()).isTrue();
        assertThat(b.roundRobin()).isFalse();
        assertThat(b.maxPacketSize()).isZero();
        assertThat(b.tls().enabled()).isFalse();
        assertThat(b.topics().get(0).toRemote("maison/salon/temp")).isEqualTo("pi42/maison/salon/temp");
        assertThat(b.topics().get(1).toLocal("pi42/commandes/led")).isEqualTo("commandes/led");
    }

    @Test
    void withoutClientIdsTheyComeFromTheHostNameAsInMosquitto() throws Exception {
        BridgeConfig b = files().config("connection school", "address h", "topic #").bridges().get(0);
        String host = BridgeDirectives.hostName();
        assertThat(b.remoteClientId()).isEqualTo(host + ".school");
        assertThat(b.localClientId()).isEqualTo("local." + host + ".school");
        assertThat(b.addresses()).containsExactly(new BridgeConfig.Address("h", 1883));
        // "topic #" alone: out, QoS 0, no prefixes.
        assertThat(b.topics()).containsExactly(new BridgeTopic("#", BridgeTopic.Direction.OUT, 0, "", ""));
    }

    @Test
    void aHashPatternIsATopicNotACommentButATrailingCommentStillIs() throws Exception {
        BridgeConfig b = files().config("connection a", "address h", "topic # both 2 \"\" remote/ # all of it")
                .bridges().get(0);
        assertThat(b.topics()).containsExactly(new BridgeTopic("#", BridgeTopic.Direction.BOTH, 2, "", "remote/"));
    }

    @Test
    void everyOtherDirectiveIsRead() throws Exception {
        ConfigFiles f = files();
        f.write("ca.crt", "x");
        f.write("c.crt", "x");
        f.write("c.key", "x");
        BrokerConfig c = f.config("connection a",
                "addresses [::1]:8883 10.0.0.2:1884",
                "round_robin true",
                "topic # both 2 local/ remote/",
                "topic \"\" in 0 here there",
                "bridge_protocol_version mqttv50",
                "cleansession true",
                "local_cleansession false",
                "local_clientid mine",
                "clientid theirs",
                "username u",
                "password p",
                "local_username lu",
                "local_password lp",
                "keepalive_interval 20",
                "idle_timeout 90",
                "start_type once",
                "threshold 5",
                "restart_timeout 10 60",
                "try_private false",
                "notifications false",
                "notifications_local_only true",
                "notification_topic bridges/a/state",
                "bridge_attempt_unsubscribe false",
                "bridge_outgoing_retain false",
                "bridge_max_packet_size 1000",
                "bridge_bind_address 127.0.0.1",
                "bridge_cafile " + f.path("ca.crt"),
                "bridge_certfile " + f.path("c.crt"),
                "bridge_keyfile " + f.path("c.key"),
                "bridge_insecure true",
                "bridge_tls_version tlsv1.3",
                "bridge_alpn mqtt",
                "bridge_receive_maximum 50",
                "bridge_session_expiry_interval 3600",
                "connection b",
                "address other",
                "topic x",
                "restart_timeout 7");
        BridgeConfig a = c.bridges().get(0);
        assertThat(a.addresses()).containsExactly(new BridgeConfig.Address("::1", 8883),
                new BridgeConfig.Address("10.0.0.2", 1884));
        assertThat(a.roundRobin()).isTrue();
        assertThat(a.topics().get(0).localFilter()).isEqualTo("local/#");
        assertThat(a.topics().get(0).remoteFilter()).isEqualTo("remote/#");
        assertThat(a.topics().get(1).localFilter()).isEqualTo("here");
        assertThat(a.topics().get(1).toLocal("there")).isEqualTo("here");
        assertThat(a.protocol()).isEqualTo(BridgeConfig.Protocol.MQTT50);
        assertThat(a.cleanSession()).isTrue();
        assertThat(a.localCleanSession()).isFalse();
        assertThat(List.of(a.localClientId(), a.remoteClientId(), a.remoteUsername(), a.remotePassword(),
                a.localUsername(), a.localPassword())).containsExactly("mine", "theirs", "u", "p", "lu", "lp");
        assertThat(a.keepaliveInterval()).isEqualTo(20);
        assertThat(a.idleTimeout()).isEqualTo(90);
        assertThat(a.startType()).isEqualTo(BridgeConfig.StartType.ONCE);
        assertThat(a.threshold()).isEqualTo(5);
        assertThat(a.restartTimeout()).isEqualTo(new BridgeConfig.RestartTimeout(10, 60, false));
        assertThat(a.tryPrivate()).isFalse();
        assertThat(a.notifications()).isFalse();
        assertThat(a.notificationsLocalOnly()).isTrue();
        assertThat(a.notificationTopic()).isEqualTo("bridges/a/state");
        assertThat(a.attemptUnsubscribe()).isFalse();
        assertThat(a.outgoingRetain()).isFalse();
        assertThat(a.maxPacketSize()).isEqualTo(1000);
        assertThat(a.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(a.tls()).isEqualTo(new BridgeConfig.Tls(Path.of(f.path("ca.crt")), null, Path.of(f.path("c.crt")),
                Path.of(f.path("c.key")), true, "tlsv1.3", "mqtt"));
        assertThat(a.receiveMaximum()).isEqualTo(50);
        assertThat(a.sessionExpiryInterval()).isEqualTo(3600);
        BridgeConfig b = c.bridges().get(1);
        assertThat(b.name()).isEqualTo("b");
        assertThat(b.restartTimeout()).isEqualTo(new BridgeConfig.RestartTimeout(7, 7, true));
    }

    @Test
    void aLowKeepaliveIsRaisedToFiveWithAWarning() throws Exception {
        ParsedConfig p = files().parse("connection a", "address h", "topic #", "keepalive_interval 2",
                "start_type lazy");
        assertThat(p.config().bridges().get(0).keepaliveInterval()).isEqualTo(5);
        assertThat(p.config().bridges().get(0).startType()).isEqualTo(BridgeConfig.StartType.LAZY);
        assertThat(p.warnings()).singleElement().asString()
                .endsWith("test.conf:4: Bridge keepalive value is too low, using 5 seconds.");
    }

    @Test
    void badBlocksStopStartUpWithFileAndLine() throws Exception {
        ConfigFiles f = files();
        assertThat(f.error("address 1.2.3.4")).isEqualTo(
                "test.conf:1: Invalid bridge configuration: address comes before any connection line.");
        assertThat(f.error("connection a", "topic x sideways", "address h"))
                .isEqualTo("test.conf:2: Invalid bridge topic direction 'sideways'.");
        assertThat(f.error("connection a", "topic x out 3", "address h"))
                .isEqualTo("test.conf:2: Invalid bridge QoS level '3'.");
        assertThat(f.error("connection a", "topic #"))
                .isEqualTo("test.conf:1: Invalid bridge configuration: no remote addresses defined.");
        assertThat(f.error("connection a", "address h"))
                .isEqualTo("test.conf:1: Invalid bridge configuration: no topics defined.");
        assertThat(f.error("connection a", "address h", "topic x", "connection a"))
                .isEqualTo("test.conf:4: Duplicate bridge name \"a\" (first at test.conf:1).");
        assertThat(f.error("connection a", "address h", "topic \"\" out 1 \"\" r/")).isEqualTo(
                "test.conf:3: Invalid bridge remapping: an empty pattern needs both a local and a remote prefix.");
        assertThat(f.error("connection a", "address h", "topic x out 1 l/#/ r/"))
                .isEqualTo("test.conf:3: Invalid bridge topic local prefix 'l/#/'.");
        assertThat(f.error("connection a", "address h", "topic a/#/b"))
                .isEqualTo("test.conf:3: Invalid bridge topic 'a/#/b': not a topic filter with its prefixes.");
        assertThat(f.error("connection a", "address h:99999")).isEqualTo("test.conf:2: Invalid port value (99999).");
        assertThat(f.error("connection a", "address h", "start_type manual"))
                .isEqualTo("test.conf:3: Manual start_type not supported.");
        assertThat(f.error("connection a", "address h", "bridge_protocol_version mqttv6")).isEqualTo(
                "test.conf:3: Invalid bridge_protocol_version value (mqttv6): must be mqttv31, mqttv311 or mqttv50.");
        assertThat(f.error("connection a", "address h", "restart_timeout 30 10")).isEqualTo(
                "test.conf:3: Invalid restart_timeout value (30 10): the cap is below the base.");
        assertThat(f.error("connection a", "address h", "restart_timeout 0")).isEqualTo("test.conf:3: Invalid "
                + "restart_timeout value (0): seconds must be whole numbers of 1 or more.");
        assertThat(f.error("connection a", "address h", "bridge_cafile /nonexistent/ca.crt"))
                .isEqualTo("test.conf:3: Unable to open bridge_cafile \"/nonexistent/ca.crt\": no such file.");
        assertThat(f.error("connection a", "address h", "try_private maybe"))
                .isEqualTo("test.conf:3: Invalid try_private value (maybe): must be true or false.");
        assertThat(f.error("connection a", "address h", "topic #", "bridge_tls_version tlsv1.2")).isEqualTo(
                "test.conf:1: Invalid bridge configuration: TLS needs bridge_cafile or bridge_capath.");
    }
}
