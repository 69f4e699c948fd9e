package io.courtier.broker.security.dynsec;

import io.courtier.broker.security.PasswordHash;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A client's password as Mosquitto's plugin keeps it in its file: PBKDF2-HMAC-SHA512 of the
 * password with a 12-byte random salt, {@code iterations} rounds (101 in Mosquitto 2.0, which
 * we write too so that either broker can read the other's file), 64 bytes, each Base64-coded
 * in its own field ({@code password}, {@code salt}, {@code iterations}).
 */
record Credentials(byte[] hash, byte[] salt, int iterations) {

    /** What Mosquitto 2.0.11's plugin and {@code mosquitto_ctrl dynsec init} write. */
    static final int ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    static Credentials create(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] pw = password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Credentials(PasswordHash.pbkdf2Sha512(pw, salt, ITERATIONS), salt, ITERATIONS);
    }

    /** From the file's fields; throws IllegalArgumentException on bad Base64. */
    static Credentials decode(String hash, String salt, int iterations) {
        Base64.Decoder d = Base64.getMimeDecoder(); // cJSON's writer may wrap long Base64 lines
        return new Credentials(d.decode(hash), d.decode(salt), iterations);
    }

    boolean matches(byte[] password) {
        byte[] computed = PasswordHash.pbkdf2Sha512(password, salt, iterations);
        // Mosquitto compares the first 64 bytes; a hash of another length never matches.
        return MessageDigest.isEqual(computed, hash);
    }

    String hashBase64() {
        return Base64.getEncoder().encodeToString(hash);
    }

    String saltBase64() {
        return Base64.getEncoder().encodeToString(salt);
    }
}
