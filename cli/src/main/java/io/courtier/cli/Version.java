package io.courtier.cli;

import picocli.CommandLine.IVersionProvider;

/** The version the build stamped into the jar's manifest. */
public final class Version implements IVersionProvider {

    /** "0.1.0", or "unknown" when run from classes without a manifest. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"courtier version " + current()};
    }
}
