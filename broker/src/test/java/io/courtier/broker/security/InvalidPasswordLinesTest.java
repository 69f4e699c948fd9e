package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.ConfigParser;
import io.courtier.testkit.MqttBytes;
import io.courtier.testkit.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A password file with broken lines lets nobody in through them, as Debian's mosquitto 2.0.11
 * (checked with the same lines and CONNECTs): the line is skipped with a warning, the good
 * user keeps working, and every other user name / password pair gets CONNACK 5. The cases are
 * those of Mosquitto's own broker test for password file parsing, with and without
 * {@code per_listener_settings}.
 */
class InvalidPasswordLinesTest {

    @TempDir
    Path dir;

    /** Mosquitto's $6$ (salted SHA-512) form for the password "test", as mosquitto_passwd -H sha512 writes it. */
    private static final String SALT = "vum4cI1Qk2OF5lep";
    private static final String TEST_HASH = "$6$" + SALT
            + "$ujXzgk7G0WNIpCDjlU269DuW3aKqAbU+g1qp2fCsCFCqnWYAEllwLEhv/9QIFZ6UIFWxR9J+FoHoEr8qyzSgBA==";

    private static final List<String> BAD_LINES = List.of("", "#comment", "bad:", "bad:bad", "bad:$", "bad:$6",
            "bad:$6$", "bad:$6$" + SALT, "bad:$6$" + SALT + "$", "bad", "bad:$5$" + TEST_HASH.substring(3),
            ":" + TEST_HASH, "bad:$6$vum4{I1Qk2OF5lep" + TEST_HASH.substring(3 + SALT.length()),
            "bad:$6$" + SALT + "$ujXzgk7G{}NIpCDjlU269DuW3aKqAbU+g1qp2fCsCFCqnWYAEllwLEhv/9QIFZ6UIFWxR9J+FoHoEr8qyzSgBA==",
            " :" + TEST_HASH, "test:" + TEST_HASH.replace("$6$", "$7$"));

    private int attempts;

    /**
     * The CONNACK code for one login, each from its own loopback address: the login gate slows an
     * address down after a few failures in a row, and this test fails on purpose many times.
     */
    private int connack(int port, String username, String password) throws Exception {
        attempts++;
        String from = "127.0." + (1 + attempts / 250) % 250 + "." + (1 + attempts % 250);
        try (RawClient c = RawClient.openFrom(from, port)) {
            c.send(MqttBytes.connect("pwfile-check", username, password));
            return c.read(RawClient.CONNACK).connackCode();
        }
    }

    @ParameterizedTest(name = "per_listener_settings {0}")
    @ValueSource(booleans = {false, true})
    void brokenLinesLetNobodyIn(boolean perListener) throws Exception {
        Path pw = dir.resolve("pwfile");
        Path conf = dir.resolve("pw.conf");
        Files.writeString(conf, "per_listener_settings " + perListener + "\nlistener 0 127.0.0.1\npassword_file "
                + pw + "\nallow_anonymous false\n");
        for (String bad : BAD_LINES) {
            for (boolean first : new boolean[] {true, false}) {
                String good = "test:" + TEST_HASH + "\n";
                Files.writeString(pw, first ? bad + "\n" + good : good + bad + "\n");
                try (Broker broker = Broker.start(ConfigParser.parse(conf).config(), "test")) {
                    int port = broker.port();
                    List<String> accepted = new ArrayList<>();
                    String[] users = {"test", "bad", "", " ", null};
                    String[] passwords = {"test", "bad", "", null};
                    for (String u : users) {
                        for (String p : passwords) {
                            if (u == null && p != null) {
                                continue; // a password without a user name is a protocol error in 3.1.1
                            }
                            if (connack(port, u, p) == 0) {
                                accepted.add(u + "/" + p);
                            }
                        }
                    }
                    // Even a broken line for "test" itself: it is removed and the good one counts.
                    assertThat(accepted).as("line %s (%s)", bad, first ? "first" : "last")
                            .containsExactly("test/test");
                }
            }
        }
    }
}
