package io.courtier.broker.security;

import io.courtier.broker.config.IoErrorText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Mosquitto's password file: one {@code username:hash} a line, {@code #} comments and blank
 * lines skipped. As Debian's mosquitto 2.0.11 does, a line whose hash cannot be read removes
 * that user (with one warning naming the line), a repeated user keeps its first line, and a
 * user without a hash can never log in, and a line without a user name ({@code :hash}) is
 * skipped. Immutable once loaded; a reload builds a new one.
 */
public final class PasswordFile {

    private final Path path;
    private final Map<String, PasswordHash> users;

    private PasswordFile(Path path, Map<String, PasswordHash> users) {
        this.path = path;
        this.users = users;
    }

    /** Reads a password file; problems with single lines go to {@code warnings}. */
    public static PasswordFile load(Path path, Consumer<String> warnings) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SecurityFileException("Unable to open password file " + path + ": " + IoErrorText.of(e), e);
        }
        Map<String, PasswordHash> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = path + ":" + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon < 0) {
                warnings.accept(where + "user " + line + " has no password hash; this user cannot log in.");
                continue;
            }
            String user = line.substring(0, colon);
            if (user.isEmpty()) {
                // As mosquitto 2.0.11: no user name, no user; else "" with this password gets in.
                warnings.accept(where + "Invalid line in password file, no user name; skipped.");
                continue;
            }
            if (users.containsKey(user)) {
                warnings.accept(where + "duplicate user " + user + ", removing entry.");
                continue;
            }
            try {
                users.put(user, PasswordHash.parse(line.substring(colon + 1)));
            } catch (PasswordHash.InvalidHashException e) {
                warnings.accept(where + e.getMessage() + " for user " + user + ", removing entry.");
            }
        }
        return new PasswordFile(path, Map.copyOf(users));
    }

    /** Whether the user exists and the password matches; a null password never matches. */
    public boolean check(String username, byte[] password) {
        PasswordHash hash = users.get(username);
        if (hash == null || password == null) {
            return false;
        }
        return hash.matches(password);
    }

    /** Whether checking this user's password is slow enough to belong off the event loop. */
    public boolean isSlow(String username) {
        PasswordHash hash = users.get(username);
        return hash != null && hash.isSlow();
    }

    /** The user's hash entry as {@link Authenticator#credentialStamp} wants it, or null if there is none. */
    String stamp(String username) {
        PasswordHash hash = users.get(username);
        return hash == null ? null : hash.stamp();
    }

    /** Whether the file has an entry for this user (the chain defers for users it does not list). */
    public boolean contains(String username) {
        return users.containsKey(username);
    }

    public int size() {
        return users.size();
    }

    public Path path() {
        return path;
    }
}
