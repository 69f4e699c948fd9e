package io.courtier.broker.security.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.External;
import io.courtier.broker.testing.LogCapture;
import io.courtier.testkit.Paho;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mosquitto-go-auth {@code http} configuration, unchanged, against a real HTTP service this
 * test starts: Debian's mosquitto_pub/mosquitto_sub and Paho as clients; what the service was
 * asked is checked field by field.
 */
class HttpBackendTest {

    @TempDir
    Path dir;

    private AuthService service;
    private Broker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void startService() throws Exception {
        service = new AuthService();
        service.passwords.put("alice", "wonderland");
        service.passwords.put("root", "toor");
        service.superusers.add("root");
    }

    @AfterEach
    void stop() {
        clients.forEach(Paho::closeQuietly);
        if (broker != null) {
            broker.close();
        }
        service.close();
    }

    /** A go-auth configuration as users write it, plus {@code extra} lines. */
    private Broker start(int servicePort, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "listener 0",
                "allow_anonymous false",
                "auth_plugin /usr/lib/mosquitto-go-auth/go-auth.so",
                "auth_opt_backends http",
                "auth_opt_http_host 127.0.0.1",
                "auth_opt_http_port " + servicePort,
                "auth_opt_http_getuser_uri /auth",
                "auth_opt_http_superuser_uri /superuser",
                "auth_opt_http_aclcheck_uri /acl",
                "auth_opt_http_timeout 5"));
        lines.addAll(List.of(extra));
        Path conf = dir.resolve("mosquitto.conf");
        Files.write(conf, lines, StandardCharsets.UTF_8);
        broker = Broker.start(ConfigParser.parse(conf).config(), "test");
        return broker;
    }

    private External.Result pub(String user, String password, String topic) {
        return External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-i", "pub-" + user, "-u", user, "-P", password, "-t", topic, "-m", "hello", "-q", "1"));
    }

    private MqttClient paho(String clientId, String user, String password, Paho.Inbox inbox) throws MqttException {
        return Logins.paho(broker, clientId, user, password, inbox, clients);
    }

    @Test
    void theServiceDecidesWhoConnectsAndIsAskedWhatGoAuthSends() throws Exception {
        start(service.port());
        assertThat(pub("alice", "wonderland", "anything").exitCode()).isZero();
        External.Result wrong = pub("alice", "queen", "anything");
        assertThat(wrong.exitCode()).isEqualTo(5);
        assertThat(wrong.stderr()).contains("not authorised");

        AuthService.Request first = service.requestsTo("/auth").get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(first.fields()).isEqualTo(Map.of("username", "alice", "password", "wonderland",
                "clientid", "pub-alice"));
        // alice may not write "anything": the publish was asked with acc 2 (write) and dropped.
        assertThat(service.requestsTo("/acl")).anySatisfy(r -> assertThat(r.fields()).isEqualTo(
                Map.of("username", "alice", "clientid", "pub-alice", "topic", "anything", "acc", "2")));
    }

    @Test
    void aclReadWriteAndSubscribeComeFromTheService() throws Exception {
        service.grants.add("alice 4 sensors/#");  // subscribe
        service.grants.add("alice 1 sensors/in"); // read
        service.grants.add("alice 2 sensors/in"); // write
        service.grants.add("alice 2 sensors/out");
        start(service.port());
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient alice = paho("alice-1", "alice", "wonderland", inbox);
        alice.subscribe("sensors/#", 1);
        alice.publish("sensors/out", "not readable".getBytes(StandardCharsets.UTF_8), 1, false); // may write, not read
        alice.publish("sensors/denied", "not writable".getBytes(StandardCharsets.UTF_8), 1, false);
        alice.publish("sensors/in", "readable".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.payloads().contains("readable"));
        assertThat(inbox.payloads()).containsExactly("readable");
        assertThat(service.requestsTo("/acl")).extracting(r -> r.fields().get("acc") + " " + r.fields().get("topic"))
                .contains("4 sensors/#", "2 sensors/out", "2 sensors/denied", "2 sensors/in", "1 sensors/in",
                        "1 sensors/out");

        // A subscription the service refuses is refused (SUBACK 0x80).
        int[] granted = alice.subscribeWithResponse(new String[] {"other/#"}, new int[] {1}).getGrantedQos();
        assertThat(granted).containsExactly(0x80);
    }

    @Test
    void mosquittoSubReceivesOnlyWhatTheServiceLetsItRead() throws Exception {
        service.grants.add("alice 4 news/#");
        service.grants.add("alice 1 news/public");
        service.grants.add("alice 2 news/public");
        service.grants.add("alice 2 news/private");
        start(service.port());
        Process sub = io.courtier.testkit.External.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-i", "sub-alice", "-u", "alice", "-P", "wonderland", "-t", "news/#",
                "-v", "-C", "1", "-W", "30");
        await().atMost(Duration.ofSeconds(20)).until(() -> broker.sessions().all().stream()
                .mapToInt(io.courtier.broker.session.Session::subscriptionCount).sum() > 0);
        External.Result first = pub("alice", "wonderland", "news/private"); // may write, sub-alice may not read
        External.Result second = pub("alice", "wonderland", "news/public");
        assertThat(first.exitCode()).isZero();
        assertThat(second.exitCode()).isZero();
        var result = io.courtier.testkit.External.finish(sub);
        assertThat(result.stdout().strip()).isEqualTo("news/public hello");
        assertThat(service.requestsTo("/acl")).anySatisfy(r -> assertThat(r.fields()).isEqualTo(
                Map.of("username", "alice", "clientid", "sub-alice", "topic", "news/private", "acc", "1")));
    }

    @Test
    void aRetainedMessageWaitsForTheServicesAnswersOnSubscribe() throws Exception {
        service.grants.add("alice 2 state/door");
        service.grants.add("alice 4 state/#");
        service.grants.add("alice 1 state/door");
        start(service.port());
        External.Result retained = External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-i", "writer", "-u", "alice", "-P", "wonderland", "-t", "state/door",
                "-m", "open", "-r", "-q", "1"));
        assertThat(retained.exitCode()).isZero();
        int asked = service.requestsTo("/acl").size();
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient reader = paho("reader", "alice", "wonderland", inbox);
        reader.subscribe("state/#", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.size() == 1);
        assertThat(inbox.messages().get(0).retained()).isTrue();
        // Its read permission and, under check_retain_source, the publisher's write permission were asked.
        assertThat(service.requestsTo("/acl").subList(asked, service.requestsTo("/acl").size()))
                .extracting(r -> r.fields().get("clientid") + " " + r.fields().get("acc"))
                .contains("reader 4", "reader 1", "writer 2");
    }

    @Test
    void aSuperuserMayDoAnythingWithoutAclQuestions() throws Exception {
        start(service.port());
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient root = paho("root-1", "root", "toor", inbox);
        root.subscribe("any/#", 1);
        root.publish("any/topic", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.size() == 1);
        assertThat(service.requestsTo("/acl")).isEmpty();
        assertThat(service.requestsTo("/superuser")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.fields()).isEqualTo(Map.of("username", "root")));
    }

    @Test
    void cachedAnswersAreNotAskedAgain() throws Exception {
        service.grants.add("alice 2 cached/topic");
        start(service.port(), "auth_opt_cache true", "auth_opt_auth_cache_seconds 60", "auth_opt_acl_cache_seconds 60");
        for (int i = 0; i < 3; i++) {
            assertThat(pub("alice", "wonderland", "cached/topic").exitCode()).isZero();
        }
        assertThat(service.requestsTo("/auth")).hasSize(1);
        assertThat(service.requestsTo("/acl")).hasSize(1);
        // Another password is another question: a cache hit needs the same password.
        assertThat(pub("alice", "queen", "cached/topic").exitCode()).isEqualTo(5);
        assertThat(service.requestsTo("/auth")).hasSize(2);
    }

    @Test
    void withoutTheCacheEveryCheckIsAsked() throws Exception {
        service.grants.add("alice 2 t");
        start(service.port());
        assertThat(pub("alice", "wonderland", "t").exitCode()).isZero();
        assertThat(pub("alice", "wonderland", "t").exitCode()).isZero();
        assertThat(service.requestsTo("/auth")).hasSize(2);
        assertThat(service.requestsTo("/acl")).hasSize(2);
    }

    @Test
    void aServiceThatIsDownDeniesByDefault() throws Exception {
        int closed = External.freePort();
        try (LogCapture log = LogCapture.broker()) {
            start(closed);
            External.Result r = pub("alice", "wonderland", "t");
            assertThat(r.exitCode()).isEqualTo(5);
            assertThat(log.contains("HTTP auth service at http://127.0.0.1:" + closed + "/auth could not be asked"))
                    .isTrue();
            assertThat(log.anyThrowable()).isFalse();
        }
    }

    @Test
    void aSlowServiceTimesOutAndHoldsNoEventLoopMeanwhile() throws Exception {
        Path passwords = dir.resolve("passwords");
        assertThat(External.run(List.of("mosquitto_passwd", "-c", "-b", passwords.toString(), "local", "pw"))
                .exitCode()).isZero();
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user local\ntopic readwrite local/#\n");
        start(service.port(), "password_file " + passwords, "acl_file " + acl, "auth_opt_http_timeout 1");
        service.delay = Duration.ofSeconds(5); // past auth_opt_http_timeout 1
        CompletableFuture<External.Result> slow = CompletableFuture.supplyAsync(() -> pub("alice", "wonderland", "t"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !service.requestsTo("/auth").isEmpty());
        // While the service sits on alice's check, a password-file user with file ACL rights
        // connects, subscribes and gets its own message: no event loop waits for the service.
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient local = paho("local-1", "local", "pw", inbox);
        local.subscribe("local/#", 1);
        local.publish("local/x", "fast".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.size() == 1);
        assertThat(slow.isDone()).isFalse();
        External.Result r = slow.get();
        assertThat(r.exitCode()).isEqualTo(5); // the timeout counts as the service being down: denied
    }

    @Test
    void aMessageWaitingForTheServicesReadAnswerIsStoredBeforeItIsAcknowledged() throws Exception {
        service.passwords.put("bob", "builder");
        service.grants.add("bob 4 q/#");
        service.grants.add("bob 1 q/1");
        service.grants.add("alice 2 q/1");
        String[] persistence = {"persistence true", "persistence_location " + dir};
        start(service.port(), persistence);
        MqttClient bob = new MqttClient("tcp://127.0.0.1:" + broker.port(), "bob-1", new MemoryPersistence());
        MqttConnectOptions keep = Paho.options();
        keep.setCleanSession(false);
        keep.setUserName("bob");
        keep.setPassword("builder".toCharArray());
        bob.connect(keep);
        bob.subscribe("q/#", 1);
        bob.disconnect();
        bob.close();

        // The service answers late: bob's read check for q/1 is still pending when alice gets her PUBACK.
        service.delay = Duration.ofSeconds(2);
        MqttClient alice = paho("alice-1", "alice", "wonderland", null);
        alice.publish("q/1", "kept".getBytes(StandardCharsets.UTF_8), 1, false);
        // Asked, and not answered for another two seconds: the broker stops before it hears back, so
        // only the store can still have the message for bob.
        await().atMost(Duration.ofSeconds(20)).until(() -> service.requestsTo("/acl").stream()
                .anyMatch(r -> "1".equals(r.fields().get("acc"))));
        broker.close();
        broker = null;
        clients.remove(alice);
        Paho.closeQuietly(alice);

        service.delay = Duration.ZERO;
        start(service.port(), persistence);
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient again = new MqttClient("tcp://127.0.0.1:" + broker.port(), "bob-1", new MemoryPersistence());
        again.setCallback(inbox);
        again.connect(keep);
        clients.add(again);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.payloads().contains("kept"));
    }

    @Test
    void formParametersAndTextAnswersAsGoAuthSendsThem() throws Exception {
        service.responseMode = "text";
        service.grants.add("alice 2 t");
        start(service.port(), "auth_opt_http_params_mode form", "auth_opt_http_response_mode text");
        assertThat(pub("alice", "wonderland", "t").exitCode()).isZero();
        assertThat(pub("alice", "queen", "t").exitCode()).isEqualTo(5);
        AuthService.Request first = service.requestsTo("/auth").get(0);
        assertThat(first.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(first.fields()).containsEntry("password", "wonderland").containsEntry("clientid", "pub-alice");
    }

    @Test
    void aDownServiceCanDeferToTheNextBackend() throws Exception {
        int closed = External.freePort();
        String secret = "0123456789abcdef0123456789abcdef";
        start(closed, "auth_opt_backends http,jwt", "auth_opt_backend_unavailable defer",
                "auth_opt_jwt_secret " + secret);
        String token = Tokens.hs256(secret, "alice", 600, null);
        External.Result r = External.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-u", "alice", "-P", token, "-t", "t", "-m", "x"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }
}
