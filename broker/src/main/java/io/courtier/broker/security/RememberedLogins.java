package io.courtier.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Logins that succeeded recently, so that a reconnect storm does not hash every password again.
 * Nothing here can give a password back: an entry is named by an HMAC-SHA256, under a key drawn at
 * random when the broker starts and never written anywhere, of the user name, the password and the
 * password file's hash entry for that user. A changed password, a changed hash entry (a reload after
 * {@code mosquitto_passwd}) or a removed user no longer finds its entry; entries also expire.
 */
final class RememberedLogins {

    private final SecretKeySpec key;
    private final long rememberNanos;
    private final int max;
    private final ConcurrentHashMap<String, Long> expiresAt = new ConcurrentHashMap<>();

    RememberedLogins(long rememberNanos, int max) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.rememberNanos = rememberNanos;
        this.max = max;
    }

    /** The entry's name for these credentials, or null if they cannot be remembered (no hash entry). */
    String keyFor(String username, byte[] password, String hashEntry) {
        if (username == null || password == null || hashEntry == null || rememberNanos <= 0) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(hashEntry.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    boolean contains(String entry, long nowNanos) {
        if (entry == null) {
            return false;
        }
        Long until = expiresAt.get(entry);
        if (until == null) {
            return false;
        }
        if (until - nowNanos > 0) {
            return true;
        }
        expiresAt.remove(entry, until);
        return false;
    }

    void remember(String entry, long nowNanos) {
        if (entry == null) {
            return;
        }
        if (expiresAt.size() >= max) {
            expiresAt.values().removeIf(until -> until - nowNanos <= 0);
            if (expiresAt.size() >= max) {
                expiresAt.clear(); // a flood of distinct good logins: start over rather than grow
            }
        }
        expiresAt.put(entry, nowNanos + rememberNanos);
    }
}
