package io.courtier.broker.persistence;

import io.courtier.broker.persistence.mosquitto.MosquittoDb;
import io.courtier.broker.persistence.mosquitto.MosquittoDbReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistence file's layout. {@code persistence_location/persistence_file} (by default
 * {@code mosquitto.db}) stays a regular file, as with Mosquitto, so that backing it up or
 * deleting it keeps its meaning: it is a small text anchor naming Courtier's store, the
 * RocksDB directory beside it ({@code mosquitto.db.courtier/}).
 * <ul>
 *   <li>No file: a fresh start. A store left beside it (the anchor was deleted) is moved aside
 *       ({@code .discarded-TIME}) and logged, never reused and never silently deleted. An empty
 *       file (Mosquitto reads one as "no state") counts as deleted.</li>
 *   <li>Mosquitto's database there (recognised by its magic header) and no store yet: it is
 *       imported into a new store, renamed {@code .imported}, and the anchor takes its place.
 *       A damaged file imports what can be read; one that cannot be read at all is renamed
 *       {@code .unreadable}. Either way the broker starts.</li>
 *   <li>A RocksDB directory there (the layout before the anchor): moved beside, anchor written.</li>
 * </ul>
 * Each step ends with a rename, and an interrupted one is finished at the next start: an import
 * is written to {@code .courtier-importing} (removed if found), the anchor to
 * {@code .courtier-anchor} before it is moved into place, and the store remembers the digest
 * of the file it was imported from, so a file already imported is never imported again.
 */
public final class PersistenceFile {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");
    static final String ANCHOR_HEADER = "Courtier persistence anchor, format 1";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final Path file;
    /** persistent_client_expiration (seconds, 0 for none), for the never-expiring sessions of an import. */
    private final long persistentClientExpiration;
    private final Path store;
    private final Path anchorTmp;
    private final Path importing;

    private PersistenceFile(Path file, long persistentClientExpiration) {
        this.file = file.toAbsolutePath();
        this.persistentClientExpiration = persistentClientExpiration;
        String name = this.file.getFileName().toString();
        this.store = this.file.resolveSibling(name + ".courtier");
        this.anchorTmp = this.file.resolveSibling(name + ".courtier-anchor");
        this.importing = this.file.resolveSibling(name + ".courtier-importing");
    }

    /** The store directory that goes with a persistence file. */
    public static Path storeDirectory(Path file) {
        return new PersistenceFile(file, 0).store;
    }

    /**
     * Settles the layout at {@code file} (importing a Mosquitto database found there) and opens
     * the store.
     *
     * @param interval null for {@code persistence_sync always}
     * @param persistentClientExpiration {@code persistent_client_expiration} in seconds, 0 for none
     */
    public static RocksDbStore open(Path file, RocksDbStore.IntervalSync interval, long persistentClientExpiration) {
        return open(file, interval, persistentClientExpiration, io.courtier.broker.config.Tunables.DEFAULTS);
    }

    /** As above, with the broker's tunables (the store's memory window and batch bound). */
    public static RocksDbStore open(Path file, RocksDbStore.IntervalSync interval, long persistentClientExpiration,
                                    io.courtier.broker.config.Tunables tunables) {
        PersistenceFile p = new PersistenceFile(file, persistentClientExpiration);
        p.settle(false);
        return RocksDbStore.open(p.store, interval, tunables);
    }

    /**
     * {@code courtier migrate}: imports the Mosquitto database {@code file} into the store beside
     * it, as a broker start would, without starting a broker.
     *
     * @throws StoreException when its store exists already
     * @throws IOException when {@code file} cannot be read as a Mosquitto database at all (it is left as it is)
     */
    public static ImportCounts migrate(Path file) throws IOException {
        PersistenceFile p = new PersistenceFile(file, 0);
        MosquittoDbReader.read(p.file); // fails here, changing nothing, when it cannot be read at all
        if (Files.exists(p.store)) {
            throw new StoreException("Courtier's store " + p.store + " exists already; " + p.file
                    + " is not imported over it (move the store away to import again)");
        }
        return p.settle(true);
    }

    /** Reads a Mosquitto database and counts what an import would bring, writing nothing. */
    public static ImportCounts dryRun(Path file) throws IOException {
        return MosquittoImport.write(MosquittoDbReader.read(file), new CountingBatch(), System.currentTimeMillis(), 0);
    }

    /** Brings the files to the anchor layout; returns the counts when a Mosquitto file was imported. */
    private ImportCounts settle(boolean importOnly) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(importing)) {
                LOG.warn("Persistence: removing {}, left by an import that was interrupted; importing again.",
                        importing);
                deleteTree(importing);
            }
            if (!Files.exists(file) && Files.isRegularFile(anchorTmp)) {
                Files.move(anchorTmp, file, StandardCopyOption.ATOMIC_MOVE); // an interrupted step ended here
            }
            if (Files.isDirectory(file)) {
                moveOldLayout();
                return null;
            }
            if (MosquittoDbReader.isMosquittoDb(file)) {
                return fromMosquitto();
            }
            if (importOnly) {
                return null;
            }
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                if (!isAnchor(file)) {
                    throw new StoreException(file + " is neither a Mosquitto persistence file nor Courtier's anchor;"
                            + " refusing to overwrite it (move it away or set persistence_file)");
                }
                if (!Files.exists(store)) {
                    LOG.warn("Persistence: {} names the store {}, which is missing; starting with an empty one.",
                            file, store);
                }
                return null;
            }
            if (Files.exists(store)) {
                Path aside = store.resolveSibling(store.getFileName() + ".discarded-"
                        + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)));
                Files.move(store, aside);
                LOG.warn("Persistence: {} was deleted, so the broker starts afresh (as Mosquitto does);"
                        + " the previous store is kept as {} (delete it when it is no longer needed).", file, aside);
            }
            writeAnchor();
            Files.move(anchorTmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        } catch (IOException e) {
            throw new StoreException("Cannot prepare the persistence file " + file + ": " + e, e);
        }
    }

    /** Today's layout was a RocksDB directory at the file's path: it moves beside its new anchor. */
    private void moveOldLayout() throws IOException {
        if (Files.exists(store)) {
            throw new StoreException(file + " is a directory and " + store + " exists too; refusing to choose"
                    + " (keep one of them)");
        }
        writeAnchor();
        Files.move(file, store, StandardCopyOption.ATOMIC_MOVE);
        Files.move(anchorTmp, file, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Persistence: the store moved from {} to {}; {} is now the anchor file that names it.", file, store,
                file);
    }

    private ImportCounts fromMosquitto() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String digest = digest(bytes);
        if (Files.exists(store)) {
            if (!digest.equals(importedFrom())) {
                throw new StoreException(file + " is a Mosquitto persistence file, and Courtier's store " + store
                        + " exists already; it is not imported over it. Move " + store + " away to import "
                        + file + ", or move " + file + " away to keep Courtier's store.");
            }
            LOG.info("Persistence: {} was imported already; finishing the switch to Courtier's store.", file);
            swapInAnchor(".imported");
            return null;
        }
        MosquittoDb db;
        try {
            db = MosquittoDbReader.read(bytes);
        } catch (IOException e) {
            Path kept = swapInAnchor(".unreadable");
            LOG.error("Persistence: Mosquitto's {} could not be read ({}); nothing imported, the file is kept as {}.",
                    file, e.getMessage(), kept);
            return new ImportCounts(0, 0, 0, 0, 0, 0, 0, 0, java.util.List.of(e.getMessage()));
        }
        ImportCounts counts = MosquittoImport.intoNewStore(db, importing, digest,
                persistentClientExpiration);
        Files.move(importing, store, StandardCopyOption.ATOMIC_MOVE);
        Path kept = swapInAnchor(".imported");
        LOG.info("Persistence: imported Mosquitto's {} (format {}): {}. The original is kept as {}.", file,
                db.version(), counts.summary(), kept);
        for (String problem : counts.problems()) {
            LOG.warn("Persistence: {}: {}", file, problem);
        }
        return counts;
    }

    /** Renames the Mosquitto file with {@code suffix} (a free name) and puts the anchor in its place. */
    private Path swapInAnchor(String suffix) throws IOException {
        writeAnchor();
        Path kept = file.resolveSibling(file.getFileName() + suffix);
        for (int n = 2; Files.exists(kept); n++) {
            kept = file.resolveSibling(file.getFileName() + suffix + "." + n);
        }
        Files.move(file, kept, StandardCopyOption.ATOMIC_MOVE);
        Files.move(anchorTmp, file, StandardCopyOption.ATOMIC_MOVE);
        return kept;
    }

    private String importedFrom() {
        try (RocksDbFiles files = RocksDbFiles.open(store)) {
            byte[] v = files.meta(MosquittoImport.IMPORTED_FROM);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }
    }

    private void writeAnchor() throws IOException {
        String text = ANCHOR_HEADER + "\n"
                + "store: " + store.getFileName() + "\n"
                + "\n"
                + "This file stands for Courtier's persistence store, the directory named above, beside it.\n"
                + "Back them up together, with the broker stopped. Delete this file (broker stopped) to start\n"
                + "afresh: Courtier then moves the old store aside. Mosquitto cannot read this file.\n";
        Files.writeString(anchorTmp, text, StandardCharsets.UTF_8);
        try (var channel = java.nio.channels.FileChannel.open(anchorTmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static boolean isAnchor(Path path) throws IOException {
        byte[] header = ANCHOR_HEADER.getBytes(StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(path)) {
            return java.util.Arrays.equals(in.readNBytes(header.length), header);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A batch that writes nothing, for a dry run. */
    private static final class CountingBatch implements StoreBatch {
        @Override
        public void putMessage(long messageId, byte[] encoded, int references) {
        }

        @Override
        public void putEntry(long storeId, long seq, io.courtier.broker.model.QueueEntry entry) {
        }

        @Override
        public void removeEntry(long storeId, long seq, long messageId) {
        }

        @Override
        public void putInbound(long storeId, int packetId) {
        }

        @Override
        public void removeInbound(long storeId, int packetId) {
        }

        @Override
        public void putSubscription(long storeId, String subscriptionKey, byte[] encoded) {
        }

        @Override
        public void removeSubscription(long storeId, String subscriptionKey) {
        }

        @Override
        public void putSession(String clientId, io.courtier.broker.persistence.codec.SessionRecord record) {
        }

        @Override
        public void dropSession(String clientId, long storeId) {
        }

        @Override
        public void putRetained(String topic, byte[] encoded) {
        }

        @Override
        public void removeRetained(String topic) {
        }
    }
}
