package io.courtier.bench;

import io.courtier.broker.security.AclFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read check an {@code acl_file} adds to every delivery ({@link AclFile#canReceive}), with
 * 200 users of 5 rules each, anonymous rules and 3 patterns: a grant found among the user's own
 * rules, one found in a {@code %c} pattern, and a denial that walks everything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AclBench {

    private AclFile acl;

    @Setup
    public void load() throws IOException {
        StringBuilder sb = new StringBuilder("topic read public/#\ntopic deny public/secret\n");
        for (int u = 0; u < 200; u++) {
            sb.append("user user").append(u).append('\n')
                    .append("topic deny site").append(u).append("/private/#\n")
                    .append("topic readwrite site").append(u).append("/+/temp\n")
                    .append("topic read site").append(u).append("/#\n")
                    .append("topic write cmd/site").append(u).append("/#\n")
                    .append("topic read $SYS/broker/load/#\n");
        }
        sb.append("pattern deny clients/%c/secret\npattern readwrite clients/%c/#\npattern read users/%u/#\n");
        Path file = Files.createTempFile("acl", ".txt");
        Files.writeString(file, sb.toString());
        acl = AclFile.load(file, w -> { });
        Files.delete(file);
    }

    @Benchmark
    public boolean grantedByUserRule() {
        return acl.canReceive("dev-17", "user17", "site17/dev-17/temp");
    }

    @Benchmark
    public boolean grantedByPattern() {
        return acl.canReceive("dev-17", "user17", "clients/dev-17/status");
    }

    @Benchmark
    public boolean deniedAfterEveryRule() {
        return acl.canReceive("dev-17", "user17", "elsewhere/a/b/c");
    }
}
