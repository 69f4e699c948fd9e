package io.courtier.broker.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The RocksDB directory and its column families, opened only if it is ours: a new (missing or
 * empty) directory is created and stamped with a format marker; an existing one must carry
 * that marker, or start-up fails with a clear message. Never a silent reset.
 */
final class RocksDbFiles implements AutoCloseable {

    static final byte[] MARKER_KEY = "courtier.format".getBytes(StandardCharsets.UTF_8);
    static final byte[] MARKER = "courtier-store 1".getBytes(StandardCharsets.UTF_8);

    /** Column family names, in handle order after "default" (which holds the marker). */
    static final List<String> FAMILIES = List.of("messages", "refs", "entries", "inbound", "subscriptions",
            "sessions", "retained");

    static {
        RocksDB.loadLibrary();
    }

    final Path dir;
    final RocksDB db;
    final ColumnFamilyHandle meta;
    final ColumnFamilyHandle messages;
    final ColumnFamilyHandle refs;
    final ColumnFamilyHandle entries;
    final ColumnFamilyHandle inbound;
    final ColumnFamilyHandle subscriptions;
    final ColumnFamilyHandle sessions;
    final ColumnFamilyHandle retained;
    private final List<ColumnFamilyHandle> handles;
    private final DBOptions options;
    private final ColumnFamilyOptions familyOptions;

    private RocksDbFiles(Path dir, RocksDB db, List<ColumnFamilyHandle> handles, DBOptions options,
                         ColumnFamilyOptions familyOptions) {
        this.dir = dir;
        this.db = db;
        this.handles = handles;
        this.options = options;
        this.familyOptions = familyOptions;
        this.meta = handles.get(0);
        this.messages = handles.get(1);
        this.refs = handles.get(2);
        this.entries = handles.get(3);
        this.inbound = handles.get(4);
        this.subscriptions = handles.get(5);
        this.sessions = handles.get(6);
        this.retained = handles.get(7);
    }

    static RocksDbFiles open(Path dir) {
        boolean fresh = checkDirectory(dir);
        DBOptions options = new DBOptions().setCreateIfMissing(fresh).setCreateMissingColumnFamilies(fresh)
                .setMaxBackgroundJobs(2).setKeepLogFileNum(5);
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
        if (!fresh) {
            checkFamilies(dir);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(options, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            options.close();
            familyOptions.close();
            throw new StoreException("Cannot open the persistence store " + dir + ": " + e.getMessage()
                    + " (is it corrupt, or in use by another broker?)", e);
        }
        RocksDbFiles files = new RocksDbFiles(dir, db, handles, options, familyOptions);
        try {
            if (fresh) {
                db.put(files.meta, MARKER_KEY, MARKER);
                db.syncWal();
            } else {
                byte[] marker = db.get(files.meta, MARKER_KEY);
                if (marker == null || !Arrays.equals(marker, MARKER)) {
                    String found = marker == null ? "no Courtier marker"
                            : "marker '" + new String(marker, StandardCharsets.UTF_8) + "'";
                    files.close();
                    throw new StoreException(dir + " is a RocksDB directory with " + found
                            + "; refusing to use it as the persistence store (move it away or set persistence_location)");
                }
            }
        } catch (RocksDBException e) {
            files.close();
            throw new StoreException("Cannot read the persistence store " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** True when the directory is new; throws when something that is not our store is there. */
    private static boolean checkDirectory(Path dir) {
        if (Files.isRegularFile(dir)) {
            throw new StoreException(dir + " is a file, not a Courtier persistence directory"
                    + " (a Mosquitto database? Courtier keeps its state in a RocksDB directory; move the file away)");
        }
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new StoreException("Cannot create the persistence directory " + dir + ": " + e, e);
            }
            return true;
        }
        try (Stream<Path> list = Files.list(dir)) {
            if (list.findAny().isEmpty()) {
                return true;
            }
        } catch (IOException e) {
            throw new StoreException("Cannot read the persistence directory " + dir + ": " + e, e);
        }
        if (!Files.exists(dir.resolve("CURRENT"))) {
            throw new StoreException(dir + " is not empty and is not a Courtier persistence store;"
                    + " refusing to start (move its contents away or choose another persistence_location)");
        }
        return false;
    }

    private static void checkFamilies(Path dir) {
        List<String> found = new ArrayList<>();
        try (Options o = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(o, dir.toString())) {
                found.add(new String(name, StandardCharsets.UTF_8));
            }
        } catch (RocksDBException e) {
            throw new StoreException("Cannot open the persistence store " + dir + ": " + e.getMessage()
                    + " (is it corrupt?)", e);
        }
        if (found.isEmpty()) {
            throw new StoreException("Cannot open the persistence store " + dir
                    + ": its column families cannot be read (is it corrupt?); refusing to start rather than reset it");
        }
        if (!found.containsAll(FAMILIES)) {
            throw new StoreException(dir + " is a RocksDB directory but not a Courtier store (column families "
                    + found + "); refusing to use it");
        }
    }

    /** A value of the "default" family (where the format marker is), or null. */
    byte[] meta(byte[] key) {
        try {
            return db.get(meta, key);
        } catch (RocksDBException e) {
            throw new StoreException("Cannot read the persistence store " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        options.close();
        familyOptions.close();
    }
}
