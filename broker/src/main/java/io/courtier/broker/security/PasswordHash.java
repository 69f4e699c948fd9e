package io.courtier.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One password hash as Mosquitto writes it in a password file, after the {@code user:}:
 * <ul>
 *   <li>{@code $7$ITERATIONS$SALT$HASH}: PBKDF2-HMAC-SHA512 of the password with the salt, a
 *       64-byte derived key; Mosquitto 2.0 writes 101 iterations, 2.1 writes 210000.</li>
 *   <li>{@code $6$SALT$HASH}: one SHA-512 over the password bytes followed by the salt bytes
 *       (Mosquitto 1.x).</li>
 * </ul>
 * Salt and hash are standard Base64 (with padding); the salt is 12 bytes. Checked by running
 * Debian's {@code mosquitto_passwd} 2.0.11 and recomputing its output. Comparison is constant
 * time ({@link MessageDigest#isEqual}).
 */
public final class PasswordHash {

    /** What {@code courtier passwd} writes: Mosquitto 2.1's count (OWASP's advice for PBKDF2-SHA512). */
    public static final int DEFAULT_ITERATIONS = 210_000;
    static final int SALT_BYTES = 12;
    static final int HASH_BYTES = 64;

    private enum Kind { SHA512, PBKDF2_SHA512 }

    private final Kind kind;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(Kind kind, int iterations, byte[] salt, byte[] hash) {
        this.kind = kind;
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Thrown for a hash this class cannot read; the message says why, in Mosquitto's words where it has some. */
    public static final class InvalidHashException extends Exception {
        public InvalidHashException(String message) {
            super(message);
        }
    }

    /** Parses the part of a password-file line after the first ':'. */
    public static PasswordHash parse(String encoded) throws InvalidHashException {
        if (encoded.startsWith("$7$")) {
            String[] parts = encoded.substring(3).split("\\$", -1);
            if (parts.length != 3) {
                throw new InvalidHashException("Invalid password hash format");
            }
            int iterations;
            try {
                iterations = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new InvalidHashException("Invalid hash iterations");
            }
            if (iterations < 1) {
                throw new InvalidHashException("Invalid hash iterations");
            }
            return new PasswordHash(Kind.PBKDF2_SHA512, iterations, decode(parts[1], "salt"), decode(parts[2], "hash"));
        }
        if (encoded.startsWith("$6$")) {
            String[] parts = encoded.substring(3).split("\\$", -1);
            if (parts.length != 2) {
                throw new InvalidHashException("Invalid password hash format");
            }
            return new PasswordHash(Kind.SHA512, 1, decode(parts[0], "salt"), decode(parts[1], "hash"));
        }
        if (encoded.startsWith("$argon2id$")) {
            throw new InvalidHashException("$argon2id$ hashes (Mosquitto 2.1) are not supported yet; "
                    + "set this password again with 'courtier passwd'");
        }
        throw new InvalidHashException("Invalid password hash type");
    }

    private static byte[] decode(String base64, String what) throws InvalidHashException {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length == 0) {
                throw new InvalidHashException("Unable to decode password " + what);
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new InvalidHashException("Unable to decode password " + what);
        }
    }

    /** A new {@code $7$} hash of a password with a random salt. */
    public static String createPbkdf2(byte[] password, int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = pbkdf2Sha512(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** A new {@code $6$} hash (Mosquitto 1.x's form, {@code mosquitto_passwd -H sha512}). */
    public static String createSha512(byte[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(sha512(password, salt));
    }

    /** Whether a password-file entry is already a hash this broker or Mosquitto knows. */
    public static boolean looksHashed(String encoded) {
        return encoded.startsWith("$7$") || encoded.startsWith("$6$") || encoded.startsWith("$argon2id$");
    }

    public static String createPbkdf2(String password, int iterations) {
        return createPbkdf2(password.getBytes(StandardCharsets.UTF_8), iterations, new SecureRandom());
    }

    /** Whether a password (the CONNECT's bytes) matches, in time independent of where they differ. */
    public boolean matches(byte[] password) {
        byte[] computed = switch (kind) {
            case PBKDF2_SHA512 -> pbkdf2Sha512(password, salt, iterations);
            case SHA512 -> sha512(password, salt);
        };
        return MessageDigest.isEqual(computed, hash);
    }

    public int iterations() {
        return iterations;
    }

    /** Whether checking this hash costs enough to keep it off an event loop. */
    public boolean isSlow() {
        return kind == Kind.PBKDF2_SHA512 && iterations > 1000;
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }

    /**
     * PBKDF2 (RFC 8018 section 5.2) with HMAC-SHA512, for exactly one 64-byte block, over the
     * password's raw bytes: the JDK's PBEKeySpec takes chars and would re-encode them, and an
     * MQTT password is binary data.
     */
    static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // HMAC pads a short key with zeros, so one zero byte is the same key as an empty one,
            // which SecretKeySpec refuses.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1}); // block index 1, big-endian
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                mac.doFinal(u, 0); // in place: no allocation per iteration
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is missing from this JVM", e);
        }
    }
}
