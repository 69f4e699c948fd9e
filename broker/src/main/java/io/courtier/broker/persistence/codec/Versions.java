package io.courtier.broker.persistence.codec;

/** Every value starts with its record format version, so a newer format is refused, not misread. */
final class Versions {
    private Versions() {
    }

    static void check(RecordReader r, int expected, String what) {
        int v = r.u8();
        if (v != expected) {
            throw new CorruptRecordException(what + " record of format " + v + ", expected " + expected);
        }
    }
}
