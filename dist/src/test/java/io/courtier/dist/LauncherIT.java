package io.courtier.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/courtier's JVM flags and its class-data sharing archive, on a freshly unpacked tarball: the
 * defaults are applied, JAVA_OPTS overrides them (a collector of its own included), and the archive
 * made by {@code courtier make-cds-archive} is used (a CDS archive on Java 17-24, an AOT cache on
 * Java 25+), while one that does not match the JVM or the jars is skipped without a word.
 */
class LauncherIT {

    @TempDir
    Path unpacked;

    Path home;

    @BeforeEach
    void unpack() throws Exception {
        Programs.Result tar = Programs.run(List.of("tar", "-xzf", Layout.tarball().toString(), "-C", unpacked.toString()));
        assertThat(tar.exitCode()).as(tar.output()).isZero();
        home = unpacked.resolve("courtier-" + Layout.version());
    }

    private Programs.Result courtier(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/courtier").toString());
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(Map.of("JAVA_OPTS", ""));
        all.putAll(env);
        return Programs.run(command, null, all);
    }

    @Test
    void theDefaultFlagsAreAppliedAndJavaOptsOverridesThem() throws Exception {
        Programs.Result defaults = courtier(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertThat(defaults.exitCode()).as(defaults.output()).isZero();
        assertThat(defaults.output()).contains("-XX:ThreadStackSize=512", "-XX:TrimNativeHeapInterval=5000",
                "-XX:+ExitOnOutOfMemoryError", "courtier version " + Layout.version());
        if (Runtime.version().feature() < 25) {
            assertThat(defaults.output()).as("Java 25+ only").doesNotContain("UseCompactObjectHeaders");
        }
        // G1 or Serial by the machine's size (both are the launcher's choice: the JVM's own
        // default would be G1 here and keep the JFR-free, trimmed flags out).
        // (PrintCommandLineFlags lists the flags in alphabetical order.)
        if (defaults.output().contains("-XX:+UseG1GC")) {
            assertThat(defaults.output()).contains("-XX:G1PeriodicGCInterval=3000", "-XX:MaxGCPauseMillis=50",
                    "-XX:G1HeapRegionSize=1048576", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30")
                    .doesNotContain("UseSerialGC");
            // G1's sizing given again in JAVA_OPTS wins (e.g. 4 MB regions, tighter free-ratio bounds).
            Programs.Result sized = courtier(Map.of("JAVA_OPTS", "-XX:G1HeapRegionSize=4m -XX:MinHeapFreeRatio=5 "
                    + "-XX:MaxHeapFreeRatio=10 -XX:+PrintCommandLineFlags"), "--version");
            assertThat(sized.exitCode()).as(sized.output()).isZero();
            assertThat(sized.output()).contains("-XX:G1HeapRegionSize=4194304", "-XX:MinHeapFreeRatio=5",
                    "-XX:MaxHeapFreeRatio=10").doesNotContain("G1HeapRegionSize=1048576", "MaxHeapFreeRatio=30");
        } else {
            assertThat(defaults.output()).contains("-XX:+UseSerialGC", "-XX:InitialHeapSize=8388608");
        }

        // Netty's pool chunk size is a system property: 1 MB chunks (maxOrder 7) unless JAVA_OPTS says otherwise.
        Programs.Result pool = courtier(Map.of("JAVA_OPTS", "-XshowSettings:properties"), "--version");
        assertThat(pool.output()).contains("io.netty.allocator.maxOrder = 7");
        Programs.Result ownPool = courtier(Map.of("JAVA_OPTS", "-XshowSettings:properties -Dio.netty.allocator.maxOrder=9"),
                "--version");
        assertThat(ownPool.output()).contains("io.netty.allocator.maxOrder = 9").doesNotContain("maxOrder = 7");

        // A collector in JAVA_OPTS replaces the default one (two would stop the JVM), and a flag
        // given again there wins over the launcher's.
        for (String gc : List.of("-XX:+UseSerialGC", "-XX:+UseParallelGC")) {
            Programs.Result own = courtier(Map.of("JAVA_OPTS", gc + " -Xss1m -XX:+PrintCommandLineFlags"), "--version");
            assertThat(own.exitCode()).as(own.output()).isZero();
            assertThat(own.output()).contains(gc, "-XX:ThreadStackSize=1024")
                    .doesNotContain("UseG1GC", "G1PeriodicGCInterval", "-XX:InitialHeapSize=8388608");
        }
    }

    @Test
    void theArchiveMadeForThisJavaIsUsed() throws Exception {
        assertThat(home.resolve("cds/courtier.jsa")).as("the tarball carries no archive: it is made per JVM")
                .doesNotExist();
        Programs.Result made = courtier(Map.of(), "make-cds-archive");
        assertThat(made.exitCode()).as(made.output()).isZero();
        assertThat(home.resolve("cds/courtier.jsa")).isNotEmptyFile();

        Programs.Result run = courtier(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("io.courtier.cli.Main source: shared objects file (top)");

        Programs.Result off = courtier(Map.of("JAVA_OPTS", "-Xlog:class+load=info", "COURTIER_CDS", "off"), "--version");
        assertThat(off.output()).doesNotContain("io.courtier.cli.Main source: shared objects file");
    }

    @Test
    void anArchiveThatDoesNotMatchIsSkippedSilently() throws Exception {
        String plain = courtier(Map.of("COURTIER_CDS", "off"), "--version").output();
        assertThat(plain).contains("courtier version " + Layout.version());

        Programs.Result made = courtier(Map.of(), "make-cds-archive");
        assertThat(made.exitCode()).as(made.output()).isZero();
        // A jar replaced after the archive was made (an upgrade, a rebuild): the JVM refuses the
        // archive, and would say so on every start without the launcher's logging flags.
        try (var jars = Files.list(home.resolve("lib"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("courtier-broker")).findFirst().orElseThrow();
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        }
        Programs.Result stale = courtier(Map.of(), "--version");
        assertThat(stale.exitCode()).isZero();
        assertThat(stale.output()).isEqualTo(plain);
        Programs.Result staleClasses = courtier(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(staleClasses.output()).doesNotContain("io.courtier.cli.Main source: shared objects file");

        // Not an archive at all (a truncated copy, another program's file).
        Files.writeString(home.resolve("cds/courtier.jsa"), "not a class-data archive\n");
        Programs.Result garbage = courtier(Map.of(), "--version");
        assertThat(garbage.exitCode()).isZero();
        assertThat(garbage.output()).isEqualTo(plain);
    }

    /** A JDK 25 or newer installed beside the one running the tests (Temurin 25 here and in CI). */
    private static Optional<Path> java25() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && feature(h) >= 25).sorted().findFirst();
        }
    }

    private static int feature(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"+-]")[0]);
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    @Test
    void onJava25AnAotCacheIsMadeAndUsedAndTheOtherJvmsArchiveIsIgnored() throws Exception {
        Optional<Path> jdk25 = java25();
        External.requirePresent(jdk25.isPresent(), "a Java 25+ JDK in /usr/lib/jvm");
        Map<String, String> on25 = Map.of("JAVA_HOME", jdk25.get().toString());
        String plain25 = courtier(Map.of("JAVA_HOME", jdk25.get().toString(), "COURTIER_CDS", "off"), "--version").output();
        assertThat(plain25).isEqualTo("courtier version " + Layout.version() + "\n");
        Programs.Result flags25 = courtier(Map.of("JAVA_HOME", jdk25.get().toString(),
                "JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertThat(flags25.output()).contains("-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=5000");
        Programs.Result off25 = courtier(Map.of("JAVA_HOME", jdk25.get().toString(),
                "JAVA_OPTS", "-XX:-UseCompactObjectHeaders -XX:+PrintCommandLineFlags"), "--version");
        assertThat(off25.output()).contains("-XX:-UseCompactObjectHeaders").doesNotContain("+UseCompactObjectHeaders");

        // The archive of the Java running the tests (17 here), then the AOT cache for Java 25.
        assertThat(courtier(Map.of(), "make-cds-archive").exitCode()).isZero();
        assertThat(home.resolve("cds/courtier.jsa")).isNotEmptyFile();
        // Java 25 with only the other Java's archive: skipped without a word.
        assertThat(courtier(on25, "--version").output()).isEqualTo(plain25);

        Programs.Result made = courtier(on25, "make-cds-archive");
        assertThat(made.exitCode()).as(made.output()).isZero();
        assertThat(home.resolve("cds/courtier.aot")).isNotEmptyFile();
        assertThat(home.resolve("cds/courtier.jsa")).as("the other Java's archive is replaced").doesNotExist();
        Programs.Result run = courtier(Map.of("JAVA_HOME", jdk25.get().toString(), "JAVA_OPTS", "-Xlog:class+load=info"),
                "--version");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("io.courtier.cli.Main source: shared objects file");
        assertThat(courtier(on25, "--version").output()).isEqualTo(plain25);
        // An AOT flag of one's own leaves the launcher's cache out.
        Programs.Result own = courtier(Map.of("JAVA_HOME", jdk25.get().toString(),
                "JAVA_OPTS", "-XX:AOTMode=auto -Xlog:class+load=info"), "--version");
        assertThat(own.exitCode()).as(own.output()).isZero();
        assertThat(own.output()).doesNotContain("io.courtier.cli.Main source: shared objects file");

        // Back on the Java running the tests: Java 25's cache means nothing to it, and it says nothing.
        Programs.Result on17 = courtier(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(on17.exitCode()).as(on17.output()).isZero();
        assertThat(on17.output()).doesNotContain("shared objects file (top)").doesNotContainIgnoringCase("warning");
        // A garbage cache on Java 25: started as without one, silently.
        Files.writeString(home.resolve("cds/courtier.aot"), "not an AOT cache\n");
        assertThat(courtier(on25, "--version").output()).isEqualTo(plain25);
    }
}
