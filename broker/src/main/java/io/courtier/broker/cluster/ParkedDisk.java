package io.courtier.broker.cluster;

import io.courtier.broker.persistence.Store;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * This node's share of the parked sessions, on its own disk ({@code persistence true}), so that a
 * restart of the whole cluster, which empties Hazelcast's maps, loses none of them: the node that
 * parks a session keeps its header and the messages it held; a node that appends to a parked
 * queue keeps the header once and every message it appended, written in the same group commit
 * as the node's other durable changes (one record per message, never the whole queue again).
 * Each share is kept under the session's generation (the header's {@code parkedAt}) and goes
 * when the cluster takes, ends or parks the session anew (from the header's events every node
 * hears). At start-up, and whenever a node joins, {@link ParkedSessions#reseed} puts back what the
 * cluster lacks.
 * <p>
 * Key: client id (UTF-8; MQTT forbids U+0000 in it [MQTT-1.5.4-2]), 0x00, generation (8 bytes),
 * kind (header 0, message 1), the message's {@link ParkedEntry#at} (8) and its place in one write
 * (4): bytes sort as the client's generations, then the header, then the messages in order.
 * Nothing is written or read when the node's store is not durable.
 */
final class ParkedDisk {

    private static final byte HEADER = 0;
    private static final byte ENTRY = 1;

    private final Store store;

    ParkedDisk(Store store) {
        this.store = store;
    }

    boolean enabled() {
        return store != null && store.durable();
    }

    /** Keeps the header (null: kept already) and these messages of a session's generation. */
    CompletableFuture<Void> keep(String clientId, long generation, byte[] header, List<ParkedEntry> entries) {
        if (!enabled() || (header == null && entries.isEmpty())) {
            return CompletableFuture.completedFuture(null);
        }
        List<byte[][]> records = new ArrayList<>(entries.size() + 1);
        if (header != null) {
            records.add(new byte[][] {key(clientId, generation, HEADER, 0, 0), header});
        }
        for (int i = 0; i < entries.size(); i++) {
            ParkedEntry e = entries.get(i);
            records.add(new byte[][] {key(clientId, generation, ENTRY, e.at, i), e.toBytes()});
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        store.submit(batch -> records.forEach(r -> batch.putParked(r[0], r[1])), ImmediateEventExecutor.INSTANCE,
                failure -> {
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(failure);
                    }
                });
        return done;
    }

    /** Forgets the client's shares of every generation up to {@code generation}. */
    void forget(String clientId, long generation) {
        if (enabled()) {
            byte[] from = key(clientId, 0, HEADER, 0, 0);
            byte[] to = generation == Long.MAX_VALUE ? prefixEnd(clientId) : key(clientId, generation + 1, HEADER, 0, 0);
            store.submit(batch -> batch.removeParked(from, to), ImmediateEventExecutor.INSTANCE, null);
        }
    }

    /** What this node keeps: per client its newest generation (older ones are forgotten now). */
    CompletableFuture<List<Kept>> read() {
        CompletableFuture<List<Kept>> result = new CompletableFuture<>();
        if (!enabled()) {
            result.complete(List.of());
            return result;
        }
        List<byte[][]> records = new ArrayList<>();
        store.submit(batch -> records.addAll(batch.parked()), ImmediateEventExecutor.INSTANCE, failure -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(group(records));
            }
        });
        return result;
    }

    private List<Kept> group(List<byte[][]> records) {
        Map<String, Kept> newest = new LinkedHashMap<>();
        for (byte[][] r : records) {
            byte[] k = r[0];
            int zero = indexOfZero(k);
            if (zero < 0 || k.length < zero + 1 + 8 + 1) {
                continue; // not a record of this layout
            }
            String id = new String(k, 0, zero, StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.wrap(k, zero + 1, k.length - zero - 1);
            long generation = b.getLong();
            byte kind = b.get();
            Kept kept = newest.get(id);
            if (kept == null || kept.generation < generation) {
                if (kept != null) {
                    forget(id, kept.generation);
                }
                kept = new Kept(id, generation);
                newest.put(id, kept);
            }
            if (kind == HEADER) {
                kept.header = r[1];
            } else {
                kept.entries.add(ParkedEntry.fromBytes(r[1]));
            }
        }
        return new ArrayList<>(newest.values());
    }

    private static int indexOfZero(byte[] k) {
        for (int i = 0; i < k.length; i++) {
            if (k[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] key(String clientId, long generation, byte kind, long at, int index) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(clientId.length() + 30);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(clientId.getBytes(StandardCharsets.UTF_8));
            out.writeByte(0);
            out.writeLong(generation);
            out.writeByte(kind);
            out.writeLong(at);
            out.writeInt(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] prefixEnd(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] end = new byte[id.length + 1];
        System.arraycopy(id, 0, end, 0, id.length);
        end[id.length] = 1;
        return end;
    }

    /** One client's share as kept: its header (null if another node keeps it) and its messages in order. */
    static final class Kept {
        final String clientId;
        final long generation;
        byte[] header;
        final List<ParkedEntry> entries = new ArrayList<>();

        Kept(String clientId, long generation) {
            this.clientId = clientId;
            this.generation = generation;
        }
    }
}
