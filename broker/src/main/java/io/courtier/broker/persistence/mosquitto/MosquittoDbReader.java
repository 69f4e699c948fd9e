package io.courtier.broker.persistence.mosquitto;

import io.courtier.codec.Properties;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Mosquitto's persistence file, format versions 5 (Mosquitto 1.6) and 6 (2.0), as far as
 * it can: a truncated tail or a chunk that does not decode is noted in
 * {@link MosquittoDb#problems()} and the rest is kept.
 *
 * <p>The layout (Mosquitto's src/persist.h, persist_read.c, persist_read_v5.c; checked against
 * files written by Debian's mosquitto 2.0.11):
 * <pre>
 * file    = magic[15] = 00 B5 00 "mosquitto db", crc u32 (written as 0, not checked),
 *           version u32 BE, then chunks to the end of the file
 * chunk   = type u32 BE, length u32 BE (of the body), body
 * </pre>
 * The fixed part of each body is a C struct written as it lies in memory ({@code PF_*}): the
 * 16- and 32-bit fields are converted to network order, but 64-bit ids and times are in the
 * writing machine's order (little-endian on every Debian architecture Mosquitto runs on; the
 * configuration chunk's last id tells), and the struct's padding is written too.
 * Strings are not terminated; their lengths are in the fixed part.
 */
public final class MosquittoDbReader {

    private static final byte[] MAGIC = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't', 'o', ' ',
        'd', 'b'};
    private static final int HEADER = MAGIC.length + 4 + 4;

    private static final int CHUNK_CFG = 1;
    private static final int CHUNK_BASE_MSG = 2;
    private static final int CHUNK_CLIENT_MSG = 3;
    private static final int CHUNK_RETAIN = 4;
    private static final int CHUNK_SUB = 5;
    private static final int CHUNK_CLIENT = 6;

    /** A 64-bit id above this read one way is a sign that the file was written in the other byte order. */
    private static final long PLAUSIBLE_ID = 1L << 48;

    private final List<MosquittoDb.BaseMessage> messages = new ArrayList<>();
    private final List<MosquittoDb.Client> clients = new ArrayList<>();
    private final List<MosquittoDb.ClientMessage> clientMessages = new ArrayList<>();
    private final List<MosquittoDb.Subscription> subscriptions = new ArrayList<>();
    private final List<Long> retained = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private ByteOrder hostOrder = ByteOrder.LITTLE_ENDIAN;
    private int version;

    private MosquittoDbReader() {
    }

    /** True when the file starts with Mosquitto's magic header (the name does not matter). */
    public static boolean isMosquittoDb(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a file. Fails only when it cannot be read at all, is not a Mosquitto database or
     * has a format version this reader does not know; damage after the header is a problem.
     */
    public static MosquittoDb read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    public static MosquittoDb read(byte[] bytes) throws IOException {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException("not a Mosquitto persistence file (no mosquitto db magic header)");
        }
        if (bytes.length < HEADER) {
            throw new IOException("the Mosquitto persistence file is truncated inside its header");
        }
        MosquittoDbReader r = new MosquittoDbReader();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        in.position(MAGIC.length + 4); // the crc is written as 0 and never checked by Mosquitto either
        r.version = in.getInt();
        if (r.version != 5 && r.version != 6) {
            throw new IOException("Mosquitto persistence format version " + r.version
                    + " is not supported (versions 5 and 6, written by Mosquitto 1.6 and 2.0, are)");
        }
        r.chunks(in);
        return new MosquittoDb(r.version, List.copyOf(r.messages), List.copyOf(r.clients),
                List.copyOf(r.clientMessages), List.copyOf(r.subscriptions), List.copyOf(r.retained),
                List.copyOf(r.problems));
    }

    private void chunks(ByteBuffer in) {
        while (in.hasRemaining()) {
            int at = in.position();
            if (in.remaining() < 8) {
                problems.add("truncated at byte " + at + ": " + in.remaining() + " bytes left, a chunk header needs 8");
                return;
            }
            int type = in.getInt();
            long length = Integer.toUnsignedLong(in.getInt());
            if (length > in.remaining()) {
                problems.add("truncated at byte " + at + ": chunk type " + type + " says " + length + " bytes, "
                        + in.remaining() + " are left");
                return;
            }
            ByteBuffer body = in.slice(in.position(), (int) length).order(ByteOrder.BIG_ENDIAN);
            in.position(in.position() + (int) length);
            try {
                chunk(type, body);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                problems.add("chunk type " + type + " at byte " + at + " does not decode (" + describe(e)
                        + "); skipped");
            }
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof BufferUnderflowException ? "shorter than its fields" : e.getMessage();
    }

    private void chunk(int type, ByteBuffer body) {
        switch (type) {
            case CHUNK_CFG -> cfg(body);
            case CHUNK_BASE_MSG -> baseMessage(body);
            case CHUNK_CLIENT -> client(body);
            case CHUNK_CLIENT_MSG -> clientMessage(body);
            case CHUNK_SUB -> subscription(body);
            case CHUNK_RETAIN -> retained.add(host64(body));
            default -> problems.add("unknown chunk type " + type + " skipped");
        }
    }

    /** PF_cfg (16 bytes): last_db_id u64 host, shutdown u8, dbid_size u8, 6 bytes padding. */
    private void cfg(ByteBuffer b) {
        long le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong();
        long be = b.duplicate().order(ByteOrder.BIG_ENDIAN).getLong();
        if (Long.compareUnsigned(le, PLAUSIBLE_ID) > 0 && Long.compareUnsigned(be, PLAUSIBLE_ID) <= 0) {
            hostOrder = ByteOrder.BIG_ENDIAN;
        }
        b.position(9);
        int dbidSize = b.get() & 0xFF;
        if (dbidSize != 8) {
            throw new IllegalArgumentException("message ids of " + dbidSize + " bytes; Mosquitto writes 8");
        }
    }

    /**
     * PF_base_msg (32 bytes): store_id u64 host, expiry_time i64 host, payloadlen u32,
     * source_mid u16, source_id_len u16, source_username_len u16, topic_len u16,
     * source_port u16, qos u8, retain u8; then source id, source username, topic, payload; the
     * rest of the chunk is the PUBLISH property list (MQTT 5 encoding, with its length), without
     * the message expiry interval, which is expiry_time.
     */
    private void baseMessage(ByteBuffer b) {
        long storeId = host64(b);
        long expiryTime = host64(b);
        long payloadLength = Integer.toUnsignedLong(b.getInt());
        b.getShort(); // source_mid: the publisher's packet id, not needed once the message is accepted
        int sourceIdLength = u16(b);
        int sourceUsernameLength = u16(b);
        int topicLength = u16(b);
        b.getShort(); // source_port: the listener it came in on
        int qos = b.get() & 0xFF;
        boolean retain = b.get() != 0;
        String sourceId = string(b, sourceIdLength);
        String sourceUsername = string(b, sourceUsernameLength);
        String topic = string(b, topicLength);
        if (payloadLength > b.remaining()) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes, " + b.remaining() + " left");
        }
        byte[] payload = new byte[(int) payloadLength];
        b.get(payload);
        Properties properties = Properties.NONE;
        if (b.hasRemaining()) {
            try {
                properties = Properties.readPublish(Unpooled.wrappedBuffer(b));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("message " + storeId + " on " + topic + ": bad properties ("
                        + e.getMessage() + ")");
            }
        }
        if (topic == null || qos > 2) {
            throw new IllegalArgumentException("message " + storeId + " has no topic or QoS " + qos);
        }
        messages.add(new MosquittoDb.BaseMessage(storeId, expiryTime, sourceId, sourceUsername, topic, qos, retain,
                payload, properties));
    }

    /**
     * PF_client, version 6 (24 bytes): session_expiry_time i64 host, session_expiry_interval u32,
     * last_mid u16, id_len u16, listener_port u16, username_len u16, 4 bytes padding; then client
     * id and username. Version 5 stops after id_len (16 bytes) and has no username.
     */
    private void client(ByteBuffer b) {
        long expiryTime = host64(b);
        long interval = Integer.toUnsignedLong(b.getInt());
        int lastMid = u16(b);
        int idLength = u16(b);
        int usernameLength = 0;
        if (version == 6) {
            b.getShort(); // listener_port
            usernameLength = u16(b);
            b.getInt(); // padding
        }
        String clientId = string(b, idLength);
        String username = string(b, usernameLength);
        if (clientId == null) {
            throw new IllegalArgumentException("a client without an id");
        }
        clients.add(new MosquittoDb.Client(clientId, expiryTime, interval, lastMid, username));
    }

    /**
     * PF_client_msg (16 bytes): store_id u64 host, mid u16, id_len u16, qos u8, state u8,
     * retain_dup u8 (retain in the high nibble, dup in the low), direction u8 (0 in, 1 out);
     * then the client id; the rest is a property list holding the subscription identifier.
     */
    private void clientMessage(ByteBuffer b) {
        long storeId = host64(b);
        int mid = u16(b);
        int idLength = u16(b);
        int qos = b.get() & 0xFF;
        int state = b.get() & 0xFF;
        int retainDup = b.get() & 0xFF;
        boolean outgoing = b.get() == 1;
        String clientId = string(b, idLength);
        int subscriptionId = 0;
        if (b.hasRemaining()) {
            try {
                Integer id = Properties.readPublish(Unpooled.wrappedBuffer(b))
                        .integer(io.courtier.codec.PropertyId.SUBSCRIPTION_IDENTIFIER);
                subscriptionId = id == null ? 0 : id;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad properties for " + clientId + " (" + e.getMessage() + ")");
            }
        }
        if (clientId == null || qos > 2) {
            throw new IllegalArgumentException("a client message without a client id or with QoS " + qos);
        }
        clientMessages.add(new MosquittoDb.ClientMessage(clientId, storeId, mid, qos, state, (retainDup >> 4) != 0,
                (retainDup & 0x0F) != 0, outgoing, subscriptionId));
    }

    /**
     * PF_sub (12 bytes): identifier u32, id_len u16, topic_len u16, qos u8, options u8, 2 bytes
     * padding; then client id and topic filter.
     */
    private void subscription(ByteBuffer b) {
        long identifier = Integer.toUnsignedLong(b.getInt());
        int idLength = u16(b);
        int topicLength = u16(b);
        int qos = b.get() & 0xFF;
        int options = b.get() & 0xFF;
        b.getShort(); // padding
        String clientId = string(b, idLength);
        String filter = string(b, topicLength);
        if (clientId == null || filter == null || qos > 2) {
            throw new IllegalArgumentException("a subscription without client id or filter, or with QoS " + qos);
        }
        subscriptions.add(new MosquittoDb.Subscription(clientId, filter, qos, options, (int) identifier));
    }

    private long host64(ByteBuffer b) {
        long v = b.getLong();
        return hostOrder == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    private static int u16(ByteBuffer b) {
        return b.getShort() & 0xFFFF;
    }

    /** A string of {@code length} bytes; {@code null} when empty, as Mosquitto reads it. */
    private static String string(ByteBuffer b, int length) {
        if (length == 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
