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
 *   <li>{@code $argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH}: Argon2id, Mosquitto 2.1's
 *       default where it was built with libargon2 (read only; we write $7$).</li>
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

    /** The most memory one $argon2id$ check may take, in KiB (1 GiB): a file cannot exhaust the heap. */
    static final int ARGON2_MAX_MEMORY_KIB = 1 << 20;

    private enum Kind { SHA512, PBKDF2_SHA512, ARGON2ID }

    private final Kind kind;
    private final int iterations;
    private final int memoryKiB;
    private final int lanes;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(Kind kind, int iterations, byte[] salt, byte[] hash) {
        this(kind, iterations, 0, 0, salt, hash);
    }

    private PasswordHash(Kind kind, int iterations, int memoryKiB, int lanes, byte[] salt, byte[] hash) {
        this.kind = kind;
        this.iterations = iterations;
        this.memoryKiB = memoryKiB;
        this.lanes = lanes;
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
            return parseArgon2id(encoded);
        }
        throw new InvalidHashException("Invalid password hash type");
    }

    /**
     * The PHC string Mosquitto 2.1 (libargon2) writes:
     * {@code $argon2id$v=19$m=MEMORY_KIB,t=PASSES,p=LANES$SALT$HASH}, Base64 without padding.
     */
    private static PasswordHash parseArgon2id(String encoded) throws InvalidHashException {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 6 || !parts[2].equals("v=19")) {
            throw new InvalidHashException("Invalid $argon2id$ hash (only version 19 is read)");
        }
        int m = -1;
        int t = -1;
        int p = -1;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=", 2);
            int value;
            try {
                value = pair.length == 2 ? Integer.parseInt(pair[1]) : -1;
            } catch (NumberFormatException e) {
                value = -1;
            }
            switch (pair[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> throw new InvalidHashException("Invalid $argon2id$ parameter " + pair[0]);
            }
        }
        if (t < 1 || p < 1 || p > 255 || m < 8 * p || m > ARGON2_MAX_MEMORY_KIB) {
            throw new InvalidHashException("Invalid $argon2id$ parameters (m=" + m + ",t=" + t + ",p=" + p
                    + "; memory is limited to " + ARGON2_MAX_MEMORY_KIB + " KiB)");
        }
        byte[] salt = decode(parts[4], "salt");
        byte[] hash = decode(parts[5], "hash");
        if (hash.length < 4) {
            throw new InvalidHashException("Unable to decode password hash");
        }
        return new PasswordHash(Kind.ARGON2ID, t, m, p, salt, hash);
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
            case ARGON2ID -> Argon2id.hash(password, salt, iterations, memoryKiB, lanes, hash.length);
        };
        return MessageDigest.isEqual(computed, hash);
    }

    public int iterations() {
        return iterations;
    }

    /**
     * Text that differs for any two different entries (kind, cost, salt and hash): a login remembered
     * against one entry is not valid against another. Only ever fed to a keyed hash, never stored.
     */
    String stamp() {
        Base64.Encoder b64 = Base64.getEncoder();
        return kind + "$" + iterations + "$" + memoryKiB + "$" + lanes + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(hash);
    }

    /** Whether checking this hash costs enough to keep it off an event loop. */
    public boolean isSlow() {
        return kind == Kind.ARGON2ID || (kind == Kind.PBKDF2_SHA512 && iterations > 1000);
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
    public static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations) {
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
