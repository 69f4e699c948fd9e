package io.courtier.cli.client;

/**
 * The command line is wrong. The tools print {@code "Error: " + message} on stderr and exit 1;
 * {@link Hint} says what follows, as Mosquitto's tools do.
 */
public final class UsageException extends Exception {

    /** What to print after the error line. */
    public enum Hint {
        /** "Use 'courtier pub --help' to see usage." */
        SEE_HELP,
        /** The whole usage text, on stdout. */
        FULL_USAGE,
        /** Nothing more. */
        NONE,
        /** Not an error: --help was given; print the usage on stdout. */
        HELP
    }

    private final Hint hint;

    public UsageException(String message) {
        this(message, Hint.SEE_HELP);
    }

    public UsageException(String message, Hint hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    public Hint hint() {
        return hint;
    }
}
