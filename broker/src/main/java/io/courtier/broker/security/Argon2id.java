package io.courtier.broker.security;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106), version 0x13, without secret or associated data: what Mosquitto 2.1's
 * {@code $argon2id$} password hashes use, computed by Bouncy Castle. {@code Argon2Test} checks it
 * against Debian's reference {@code argon2} command.
 */
final class Argon2id {
    private Argon2id() {
    }

    static byte[] hash(byte[] password, byte[] salt, int passes, int memoryKiB, int lanes, int tagLength) {
        if (passes < 1 || lanes < 1 || lanes > 0xffffff || tagLength < 4 || memoryKiB < 8 * lanes) {
            throw new IllegalArgumentException("invalid Argon2 parameters");
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(passes)
                .withMemoryAsKB(memoryKiB)
                .withParallelism(lanes)
                .withSalt(salt)
                .build());
        byte[] tag = new byte[tagLength];
        generator.generateBytes(password, tag);
        return tag;
    }
}
