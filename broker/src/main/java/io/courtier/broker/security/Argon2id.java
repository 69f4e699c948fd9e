package io.courtier.broker.security;

/**
 * Argon2id (RFC 9106), version 0x13, without secret or associated data: what Mosquitto 2.1's
 * {@code $argon2id$} password hashes use. Written from the RFC; checked against Debian's
 * {@code argon2} command in {@code Argon2Test}. Lanes are filled one after the other, which
 * gives the same result as filling them in parallel (a segment never reads another lane's
 * current slice).
 */
final class Argon2id {
    private Argon2id() {
    }

    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;
    private static final int WORDS = 128; // 1024-byte blocks of 64-bit words
    private static final int SYNC_POINTS = 4;

    static byte[] hash(byte[] password, byte[] salt, int passes, int memoryKiB, int lanes, int tagLength) {
        if (passes < 1 || lanes < 1 || lanes > 0xffffff || tagLength < 4 || memoryKiB < 8 * lanes) {
            throw new IllegalArgumentException("invalid Argon2 parameters");
        }
        Blake2b h0 = new Blake2b(64);
        h0.updateLe32(lanes).updateLe32(tagLength).updateLe32(memoryKiB).updateLe32(passes)
                .updateLe32(VERSION).updateLe32(TYPE_ID);
        h0.updateLe32(password.length).update(password);
        h0.updateLe32(salt.length).update(salt);
        h0.updateLe32(0).updateLe32(0); // no secret, no associated data
        byte[] seed = h0.digest();

        int segmentLength = memoryKiB / (SYNC_POINTS * lanes);
        int laneLength = segmentLength * SYNC_POINTS;
        long[][] memory = new long[lanes * laneLength][];
        for (int l = 0; l < lanes; l++) {
            for (int j = 0; j < 2; j++) {
                byte[] in = new byte[72];
                System.arraycopy(seed, 0, in, 0, 64);
                le32(in, 64, j);
                le32(in, 68, l);
                memory[l * laneLength + j] = toWords(variableHash(in, 1024));
            }
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(memory, pass, slice, lane, lanes, laneLength, segmentLength, passes,
                            lanes * laneLength);
                }
            }
        }
        long[] last = memory[laneLength - 1].clone();
        for (int l = 1; l < lanes; l++) {
            long[] b = memory[l * laneLength + laneLength - 1];
            for (int i = 0; i < WORDS; i++) {
                last[i] ^= b[i];
            }
        }
        return variableHash(toBytes(last), tagLength);
    }

    private static void fillSegment(long[][] memory, int pass, int slice, int lane, int lanes, int laneLength,
                                    int segmentLength, int passes, int totalBlocks) {
        boolean independent = pass == 0 && slice < SYNC_POINTS / 2; // Argon2id: Argon2i first, then Argon2d
        long[] addresses = null;
        long[] input = null;
        long[] zero = null;
        long[] r = new long[WORDS];
        long[] z = new long[WORDS];
        if (independent) {
            addresses = new long[WORDS];
            input = new long[WORDS];
            zero = new long[WORDS];
            input[0] = pass;
            input[1] = lane;
            input[2] = slice;
            input[3] = totalBlocks;
            input[4] = passes;
            input[5] = TYPE_ID;
        }
        int start = pass == 0 && slice == 0 ? 2 : 0;
        if (independent && start != 0) {
            nextAddresses(input, zero, addresses, r, z);
        }
        for (int index = start; index < segmentLength; index++) {
            int current = lane * laneLength + slice * segmentLength + index;
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            long random;
            if (independent) {
                if (index % WORDS == 0) {
                    nextAddresses(input, zero, addresses, r, z);
                }
                random = addresses[index % WORDS];
            } else {
                random = memory[previous][0];
            }
            int refLane = pass == 0 && slice == 0 ? lane : (int) ((random >>> 32) % lanes);
            int refIndex = referenceIndex(pass, slice, index, segmentLength, laneLength, random & 0xffffffffL,
                    refLane == lane);
            long[] ref = memory[refLane * laneLength + refIndex];
            if (pass == 0) {
                memory[current] = new long[WORDS];
            }
            // from the second pass on, the new block is xored into the old one (version 0x13)
            compress(memory[previous], ref, memory[current], pass != 0, r, z);
        }
    }

    private static void nextAddresses(long[] input, long[] zero, long[] addresses, long[] r, long[] z) {
        input[6]++;
        compress(zero, input, addresses, false, r, z);
        compress(zero, addresses.clone(), addresses, false, r, z);
    }

    /** RFC 9106 section 3.4.1.2: which earlier block of the reference lane to mix in. */
    private static int referenceIndex(int pass, int slice, int index, int segmentLength, int laneLength, long j1,
                                      boolean sameLane) {
        long area;
        if (pass == 0) {
            if (slice == 0) {
                area = index - 1;
            } else if (sameLane) {
                area = (long) slice * segmentLength + index - 1;
            } else {
                area = (long) slice * segmentLength + (index == 0 ? -1 : 0);
            }
        } else if (sameLane) {
            area = laneLength - segmentLength + index - 1;
        } else {
            area = laneLength - segmentLength + (index == 0 ? -1 : 0);
        }
        long x = (j1 * j1) >>> 32;
        long relative = area - 1 - ((area * x) >>> 32);
        long start = pass != 0 && slice != SYNC_POINTS - 1 ? (long) (slice + 1) * segmentLength : 0;
        return (int) ((start + relative) % laneLength);
    }

    /** The compression function G: P over the rows, then the columns, of X xor Y, xor X xor Y. */
    private static void compress(long[] x, long[] y, long[] out, boolean xorInto, long[] r, long[] z) {
        for (int i = 0; i < WORDS; i++) {
            r[i] = x[i] ^ y[i];
        }
        System.arraycopy(r, 0, z, 0, WORDS);
        for (int row = 0; row < 8; row++) {
            int b = 16 * row;
            permute(z, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12,
                    b + 13, b + 14, b + 15);
        }
        for (int col = 0; col < 8; col++) {
            int b = 2 * col;
            permute(z, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81,
                    b + 96, b + 97, b + 112, b + 113);
        }
        if (xorInto) {
            for (int i = 0; i < WORDS; i++) {
                out[i] ^= z[i] ^ r[i];
            }
        } else {
            for (int i = 0; i < WORDS; i++) {
                out[i] = z[i] ^ r[i];
            }
        }
    }

    private static void permute(long[] w, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8,
                                int v9, int v10, int v11, int v12, int v13, int v14, int v15) {
        gb(w, v0, v4, v8, v12);
        gb(w, v1, v5, v9, v13);
        gb(w, v2, v6, v10, v14);
        gb(w, v3, v7, v11, v15);
        gb(w, v0, v5, v10, v15);
        gb(w, v1, v6, v11, v12);
        gb(w, v2, v7, v8, v13);
        gb(w, v3, v4, v9, v14);
    }

    /** BLAKE2b's G with Argon2's multiplications (RFC 9106 section 3.6). */
    private static void gb(long[] w, int a, int b, int c, int d) {
        w[a] = mixAdd(w[a], w[b]);
        w[d] = Long.rotateRight(w[d] ^ w[a], 32);
        w[c] = mixAdd(w[c], w[d]);
        w[b] = Long.rotateRight(w[b] ^ w[c], 24);
        w[a] = mixAdd(w[a], w[b]);
        w[d] = Long.rotateRight(w[d] ^ w[a], 16);
        w[c] = mixAdd(w[c], w[d]);
        w[b] = Long.rotateRight(w[b] ^ w[c], 63);
    }

    private static long mixAdd(long x, long y) {
        return x + y + 2 * (x & 0xffffffffL) * (y & 0xffffffffL);
    }

    /** H' (RFC 9106 section 3.3): a hash of any length from BLAKE2b. */
    static byte[] variableHash(byte[] input, int length) {
        byte[] lengthLe = new byte[4];
        le32(lengthLe, 0, length);
        if (length <= 64) {
            return new Blake2b(length).update(lengthLe).update(input).digest();
        }
        byte[] out = new byte[length];
        byte[] v = new Blake2b(64).update(lengthLe).update(input).digest();
        System.arraycopy(v, 0, out, 0, 32);
        int pos = 32;
        int r = (length + 31) / 32 - 2;
        for (int i = 2; i <= r; i++) {
            v = Blake2b.hash(64, v);
            System.arraycopy(v, 0, out, pos, 32);
            pos += 32;
        }
        byte[] lastPart = Blake2b.hash(length - 32 * r, v);
        System.arraycopy(lastPart, 0, out, pos, lastPart.length);
        return out;
    }

    private static long[] toWords(byte[] bytes) {
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = Blake2b.le64(bytes, 8 * i);
        }
        return w;
    }

    private static byte[] toBytes(long[] words) {
        byte[] b = new byte[words.length * 8];
        for (int i = 0; i < words.length; i++) {
            for (int j = 0; j < 8; j++) {
                b[8 * i + j] = (byte) (words[i] >>> (8 * j));
            }
        }
        return b;
    }

    private static void le32(byte[] b, int o, int value) {
        b[o] = (byte) value;
        b[o + 1] = (byte) (value >>> 8);
        b[o + 2] = (byte) (value >>> 16);
        b[o + 3] = (byte) (value >>> 24);
    }
}
