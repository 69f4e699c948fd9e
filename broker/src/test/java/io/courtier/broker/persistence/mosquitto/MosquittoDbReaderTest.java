package io.courtier.broker.persistence.mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The cases Debian's mosquitto 2.0.11 does not write here (MosquittoMigrationTest covers the files it
 * writes): format 5 (Mosquitto 1.6) client chunks, a file from a big-endian machine, chunk types this
 * reader does not know, and versions it does not read. Files are laid out by hand from persist.h.
 */
class MosquittoDbReaderTest {

    private static final byte[] MAGIC = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't', 'o', ' ',
        'd', 'b'};

    /** Builds a file: header, then chunks. */
    private static final class File {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteOrder host;

        File(int version, ByteOrder host) {
            this.host = host;
            out.writeBytes(MAGIC);
            out.writeBytes(ByteBuffer.allocate(8).putInt(0).putInt(version).array());
        }

        File chunk(int type, ByteBuffer body) {
            byte[] b = new byte[body.position()];
            body.flip().get(b);
            out.writeBytes(ByteBuffer.allocate(8).putInt(type).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        ByteBuffer body() {
            return ByteBuffer.allocate(256);
        }

        ByteBuffer host64(ByteBuffer b, long v) {
            return b.putLong(host == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v));
        }

        File cfg(long lastId) {
            ByteBuffer b = host64(body(), lastId).put((byte) 1).put((byte) 8).put(new byte[6]);
            return chunk(1, b);
        }

        File message(long id, String topic, String payload) {
            byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            byte[] p = payload.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = host64(host64(body(), id), 0).putInt(p.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) t.length).putShort((short) 1883).put((byte) 1).put((byte) 0)
                    .put(t).put(p);
            return chunk(2, b);
        }

        /** A format 5 client: no listener port, no user name, no padding. */
        File clientV5(String id, long expiryInterval) {
            byte[] c = id.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = host64(body(), 0).putInt((int) expiryInterval).putShort((short) 3)
                    .putShort((short) c.length).put(c);
            return chunk(6, b);
        }

        File clientMessage(String id, long storeId, int mid, int state) {
            byte[] c = id.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = host64(body(), storeId).putShort((short) mid).putShort((short) c.length).put((byte) 1)
                    .put((byte) state).put((byte) 0x10).put((byte) 1).put(c);
            return chunk(3, b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    @Test
    void readsAFormat5FileFromABigEndianMachine() throws IOException {
        byte[] bytes = new File(5, ByteOrder.BIG_ENDIAN).cfg(2).message(2, "t/a", "hello").clientV5("old", 0xFFFFFFFFL)
                .clientMessage("old", 2, 9, MosquittoDb.States.WAIT_FOR_PUBACK).bytes();
        MosquittoDb db = MosquittoDbReader.read(bytes);
        assertThat(db.complete()).isTrue();
        assertThat(db.version()).isEqualTo(5);
        assertThat(db.messages()).singleElement().satisfies(m -> {
            assertThat(m.storeId()).isEqualTo(2);
            assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
        });
        assertThat(db.clients()).singleElement().satisfies(c -> {
            assertThat(c.clientId()).isEqualTo("old");
            assertThat(c.expiryInterval()).isEqualTo(0xFFFFFFFFL);
        });
        assertThat(db.clientMessages()).singleElement().satisfies(cm -> {
            assertThat(cm.storeId()).isEqualTo(2);
            assertThat(cm.mid()).isEqualTo(9);
            assertThat(cm.retain()).isTrue();
            assertThat(cm.outgoing()).isTrue();
        });
    }

    @Test
    void anUnknownChunkIsSkippedAndNoted() throws IOException {
        File f = new File(6, ByteOrder.LITTLE_ENDIAN).cfg(1);
        f.chunk(99, f.body().putInt(7));
        f.message(1, "t/b", "x");
        MosquittoDb db = MosquittoDbReader.read(f.bytes());
        assertThat(db.messages()).hasSize(1);
        assertThat(db.problems()).singleElement().asString().contains("unknown chunk type 99");
    }

    @Test
    void aChunkShorterThanItsFieldsIsSkippedAndTheRestRead() throws IOException {
        File f = new File(6, ByteOrder.LITTLE_ENDIAN).cfg(1);
        f.chunk(2, f.body().putInt(1)); // a message chunk of 4 bytes
        f.message(1, "t/c", "y");
        MosquittoDb db = MosquittoDbReader.read(f.bytes());
        assertThat(db.messages()).singleElement().satisfies(m -> assertThat(m.topic()).isEqualTo("t/c"));
        assertThat(db.problems()).singleElement().asString().contains("shorter than its fields");
    }

    @Test
    void olderFormatsAndOtherFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> MosquittoDbReader.read(new File(4, ByteOrder.LITTLE_ENDIAN).bytes()))
                .hasMessageContaining("version 4 is not supported");
        assertThatThrownBy(() -> MosquittoDbReader.read("Courtier persistence anchor".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a Mosquitto persistence file");
    }
}
