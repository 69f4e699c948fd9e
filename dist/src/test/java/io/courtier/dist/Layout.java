package io.courtier.dist;

import java.nio.file.Path;

/** Where the build put what it made (system properties set by failsafe in dist/pom.xml). */
final class Layout {

    private Layout() {
    }

    static String version() {
        return System.getProperty("courtier.version");
    }

    static Path target() {
        return Path.of(System.getProperty("courtier.target.dir"));
    }

    static Path tarball() {
        return target().resolve("courtier-" + version() + ".tar.gz");
    }

    static Path deb() {
        return target().resolve("courtier_" + version().replace('-', '~') + "_all.deb");
    }
}
