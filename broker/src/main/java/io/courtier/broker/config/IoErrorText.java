package io.courtier.broker.config;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why a file could not be read or written, in C's strerror(3) words as Mosquitto prints them
 * ("No such file or directory"). Java names these errors by exception type and puts only the
 * path in the message, so every room that opens a user's file (the configuration, TLS files,
 * password and ACL files, dynamic security, {@code courtier passwd}) words the reason here, alike.
 */
public final class IoErrorText {
    private IoErrorText() {
    }

    /** strerror's text for the errors Java names by type; otherwise the exception's own message. */
    public static String of(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * The same for the middle of a sentence ("Unable to open config file F (no such file or
     * directory)."): strerror's text in lower case; another message as it is.
     */
    public static String inSentence(Exception e) {
        String text = of(e);
        boolean strerror = e instanceof NoSuchFileException || e instanceof AccessDeniedException
                || e instanceof NotDirectoryException;
        return strerror ? text.toLowerCase(Locale.ROOT) : text;
    }
}
