package io.courtier.plugin.example;

import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.CourtierPlugin;
import io.courtier.plugin.Decision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * An example plugin: users and passwords come from {@code plugin_opt_users alice:secret,bob:pw};
 * each user may publish, subscribe and read under {@code PREFIX/USERNAME/#} only, where PREFIX is
 * {@code plugin_opt_prefix} (default {@code users}). Users it does not know, and other topics,
 * are left to the broker's other links (it defers). It counts the messages it sees.
 *
 * <pre>
 * plugin /opt/courtier/plugins/courtier-plugin-example-0.1.0.jar
 * plugin_opt_users alice:secret,bob:pw
 * plugin_opt_prefix users
 * </pre>
 */
public final class OwnTreePlugin implements CourtierPlugin {

    private static final Logger LOG = Logger.getLogger(OwnTreePlugin.class.getName());

    private final Map<String, byte[]> passwords = new HashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private String prefix = "users";

    @Override
    public void init(Map<String, String> options) {
        String users = options.get("users");
        if (users == null || users.isBlank()) {
            throw new IllegalArgumentException("plugin_opt_users is required (user:password,...)");
        }
        for (String pair : users.split(",")) {
            String[] up = pair.strip().split(":", 2);
            if (up.length != 2 || up[0].isEmpty()) {
                throw new IllegalArgumentException("plugin_opt_users: \"" + pair.strip() + "\" is not user:password");
            }
            passwords.put(up[0], up[1].getBytes(StandardCharsets.UTF_8));
        }
        prefix = options.getOrDefault("prefix", prefix);
    }

    @Override
    public Decision authenticate(ClientInfo client, byte[] password) {
        byte[] expected = client.username() == null ? null : passwords.get(client.username());
        if (expected == null) {
            return Decision.DEFER;
        }
        return password != null && MessageDigest.isEqual(expected, password) ? Decision.ALLOW : Decision.DENY;
    }

    @Override
    public Decision authorise(ClientInfo client, Access access, String topic) {
        if (client.username() == null || !passwords.containsKey(client.username())) {
            return Decision.DEFER;
        }
        return topic.startsWith(prefix + "/" + client.username() + "/") ? Decision.ALLOW : Decision.DEFER;
    }

    @Override
    public void published(ClientInfo client, String topic, byte[] payload, int qos, boolean retain) {
        long n = messages.incrementAndGet();
        if (n % 1000 == 0) {
            LOG.info(() -> "OwnTreePlugin has seen " + n + " messages");
        }
    }
}
