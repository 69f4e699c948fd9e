package io.courtier.cli;

import io.courtier.broker.persistence.ImportCounts;
import io.courtier.broker.persistence.PersistenceFile;
import io.courtier.broker.persistence.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code courtier migrate FILE}: imports Mosquitto's persistence file into Courtier's store
 * beside it, exactly as a broker started with {@code persistence true} on that file would, and
 * prints what it imported. The broker must be stopped (RocksDB allows one user of a store).
 */
@Command(name = "migrate", description = {"Import Mosquitto's persistence file (mosquitto.db) into Courtier's store"
        + " beside it (FILE.courtier/), rename it FILE.imported and leave Courtier's anchor file in its place,"
        + " as the broker does on start. Run it with the broker stopped."})
public final class MigrateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Mosquitto's persistence file, e.g. /var/lib/mosquitto/mosquitto.db")
    Path file;

    @Option(names = "--dry-run", description = "Read the file and print what would be imported; change nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ImportCounts counts = dryRun ? PersistenceFile.dryRun(file) : PersistenceFile.migrate(file);
            out.println((dryRun ? "Would import from " : "Imported from ") + file + ":");
            out.println("  retained messages: " + counts.retained());
            out.println("  sessions:          " + counts.sessions());
            out.println("  subscriptions:     " + counts.subscriptions());
            out.println("  queued messages:   " + counts.queued());
            out.println("  in-flight messages: " + counts.inflight());
            out.println("  incoming QoS 2 awaiting PUBREL: " + counts.inboundQos2());
            out.println("  left out, expired: " + counts.expired() + ", unusable: " + counts.dropped());
            for (String problem : counts.problems()) {
                out.println("  damaged file: " + problem);
            }
            if (!dryRun) {
                out.println("Courtier's store: " + PersistenceFile.storeDirectory(file) + "; the original is kept as "
                        + file + ".imported");
            }
            out.flush();
            return counts.problems().isEmpty() ? 0 : 2;
        } catch (StoreException | IOException e) {
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
