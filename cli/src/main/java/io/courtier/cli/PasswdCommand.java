package io.courtier.cli;

import io.courtier.broker.config.IoErrorText;
import io.courtier.broker.security.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code courtier passwd}: manages a Mosquitto password file with {@code mosquitto_passwd}'s
 * flags, messages and exit codes (compared with Debian's 2.0.11 by {@code PasswdCommandTest}).
 * It writes {@code $7$} PBKDF2-SHA512 hashes with {@value PasswordHash#DEFAULT_ITERATIONS}
 * iterations (Mosquitto 2.1's count; Debian's mosquitto 2.0.11 accepts them), or as many as
 * {@code -I} says. The arguments are parsed by hand, as mosquitto_passwd does, so that every
 * mistake gets mosquitto_passwd's own answer.
 */
@Command(name = "passwd", description = "Manage a password file, as mosquitto_passwd does.")
public final class PasswdCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args, System.in, System.out, System.err);
    }

    private enum HashType { SHA512, PBKDF2 }

    /** Runs with the given arguments and streams; returns the exit code. */
    public static int run(List<String> argv, InputStream in, PrintStream out, PrintStream err) {
        return new Run(in, out, err).main(argv);
    }

    private static final class Run {
        private final InputStream in;
        private final PrintStream out;
        private final PrintStream err;
        private final SecureRandom random = new SecureRandom();
        private HashType hashType = HashType.PBKDF2;
        private int iterations = PasswordHash.DEFAULT_ITERATIONS;

        Run(InputStream in, PrintStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }

        int main(List<String> argv) {
            boolean batch = false;
            boolean create = false;
            boolean delete = false;
            boolean upgrade = false;
            int i = 0;
            for (; i < argv.size(); i++) {
                String a = argv.get(i);
                switch (a) {
                    case "-b" -> batch = true;
                    case "-c" -> create = true;
                    case "-D" -> delete = true;
                    case "-U" -> upgrade = true;
                    case "-H" -> {
                        if (i + 1 >= argv.size()) {
                            return usage();
                        }
                        String type = argv.get(++i);
                        if (type.equals("sha512")) {
                            hashType = HashType.SHA512;
                        } else if (type.equals("sha512-pbkdf2")) {
                            hashType = HashType.PBKDF2;
                        } else {
                            err.println("Error: Unknown hash type '" + type + "'");
                            return 1;
                        }
                    }
                    case "-I" -> {
                        if (i + 1 >= argv.size()) {
                            return usage();
                        }
                        String n = argv.get(++i);
                        try {
                            iterations = Integer.parseInt(n);
                        } catch (NumberFormatException e) {
                            iterations = 0;
                        }
                        if (iterations < 1) {
                            err.println("Error: Invalid number of iterations '" + n + "'.");
                            return 1;
                        }
                    }
                    default -> {
                        if (a.startsWith("-") && a.length() > 1) {
                            return usage();
                        }
                    }
                }
                if (!a.startsWith("-") || a.length() == 1) {
                    break;
                }
            }
            List<String> rest = argv.subList(Math.min(i, argv.size()), argv.size());
            if (create && delete) {
                err.println("Error: -c and -D cannot be used together.");
                return 1;
            }
            if (upgrade) {
                if (rest.size() != 1) {
                    if (rest.isEmpty()) {
                        err.println("Error: -U argument given but password file missing.");
                        return 1;
                    }
                    return usage();
                }
                return upgradeFile(Path.of(rest.get(0)));
            }
            if (create && rest.size() < 2) {
                err.println("Error: -c argument given but password file or username missing.");
                return 1;
            }
            if (delete && rest.size() < 2) {
                err.println("Error: -D argument given but password file or username missing.");
                return 1;
            }
            int expected = batch && !delete ? 3 : 2;
            if (rest.size() != expected) {
                return usage();
            }
            Path file = Path.of(rest.get(0));
            String username = rest.get(1);
            if (username.indexOf(':') >= 0) {
                err.println("Error: Username must not contain the ':' character.");
                return 1;
            }
            if (delete) {
                return deleteUser(file, username);
            }
            if (!create && !Files.exists(file)) {
                return cannotOpen(file, new NoSuchFileException(file.toString()));
            }
            String password;
            if (batch) {
                password = rest.get(2);
            } else {
                PromptResult p = prompt();
                if (p.exitCode != 0) {
                    return p.exitCode;
                }
                password = p.password;
            }
            String line = username + ":" + hash(password);
            if (create) {
                return write(file, List.of(line));
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return cannotOpen(file, e);
            }
            List<String> updated = new ArrayList<>();
            boolean replaced = false;
            for (String l : lines) {
                if (!replaced && userOf(l).equals(username)) {
                    updated.add(line);
                    replaced = true;
                } else {
                    updated.add(l);
                }
            }
            if (!replaced) {
                updated.add(line);
            }
            return write(file, updated);
        }

        private String hash(String password) {
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            return hashType == HashType.SHA512 ? PasswordHash.createSha512(bytes, random)
                    : PasswordHash.createPbkdf2(bytes, iterations, random);
        }

        private static String userOf(String line) {
            int colon = line.indexOf(':');
            return colon < 0 ? line.strip() : line.substring(0, colon).strip();
        }

        private int deleteUser(Path file, String username) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return cannotOpen(file, e);
            }
            List<String> kept = new ArrayList<>();
            boolean found = false;
            for (String l : lines) {
                if (userOf(l).equals(username) && !l.strip().startsWith("#")) {
                    found = true;
                } else {
                    kept.add(l);
                }
            }
            if (!found) {
                err.println("Warning: User " + username + " not found in password file.");
                return 1;
            }
            return write(file, kept);
        }

        /**
         * -U: hashes every {@code user:password} line. Unlike mosquitto_passwd 2.0, a line that
         * is already hashed is kept as it is rather than hashed a second time (which would lock
         * that user out).
         */
        private int upgradeFile(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return cannotOpen(file, e);
            }
            List<String> upgraded = new ArrayList<>();
            for (int n = 0; n < lines.size(); n++) {
                String l = lines.get(n);
                int colon = l.indexOf(':');
                if (colon < 0) {
                    err.println("Error: Corrupt password file at line " + (n + 1) + ".");
                    return 1;
                }
                String value = l.substring(colon + 1);
                upgraded.add(PasswordHash.looksHashed(value) ? l : l.substring(0, colon) + ":" + hash(value));
            }
            return write(file, upgraded);
        }

        private record PromptResult(String password, int exitCode) {
        }

        /** Asks twice, without echo on a terminal, as mosquitto_passwd does. */
        private PromptResult prompt() {
            Console console = System.console();
            BufferedReader reader = console == null || in != System.in
                    ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)) : null;
            String first = read("Password: ", console, reader);
            if (first == null || first.isEmpty()) {
                err.println("Error: Empty password.");
                return new PromptResult(null, 1);
            }
            String second = read("Reenter password: ", console, reader);
            if (second == null || second.isEmpty()) {
                err.println("Error: Empty password.");
                return new PromptResult(null, 1);
            }
            if (!first.equals(second)) {
                err.println("Error: Passwords do not match.");
                return new PromptResult(null, 2);
            }
            return new PromptResult(first, 0);
        }

        private String read(String prompt, Console console, BufferedReader reader) {
            out.print(prompt);
            out.flush();
            String line;
            if (reader == null) {
                char[] chars = console.readPassword();
                line = chars == null ? null : new String(chars);
            } else {
                try {
                    line = reader.readLine();
                } catch (IOException e) {
                    line = null;
                }
            }
            if (line != null && !line.isEmpty()) {
                out.println(); // the newline the terminal did not echo; none after an empty answer
            }
            return line;
        }

        /** Writes through a temporary file and a rename, so a crash never leaves half a file. */
        private int write(Path file, List<String> lines) {
            try {
                Path dir = file.toAbsolutePath().getParent();
                Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
                try {
                    if (Files.exists(file)) {
                        try {
                            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
                        } catch (UnsupportedOperationException e) {
                            // not a POSIX file system: keep the default permissions
                        }
                    } else {
                        // mosquitto_passwd creates the file with the umask's permissions.
                        try {
                            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions
                                    .fromString("rw-r--r--"));
                        } catch (UnsupportedOperationException e) {
                            // not a POSIX file system
                        }
                    }
                    StringBuilder sb = new StringBuilder();
                    for (String l : lines) {
                        sb.append(l).append('\n');
                    }
                    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
                    try {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return 0;
            } catch (IOException e) {
                return cannotOpen(file, e);
            }
        }

        private int cannotOpen(Path file, IOException e) {
            err.println("Error: Unable to open password file " + file + ". " + IoErrorText.of(e) + ".");
            return 1;
        }

        private int usage() {
            out.println("courtier passwd manages password files for Courtier and Mosquitto.");
            out.println();
            out.println("Usage: courtier passwd [-H sha512 | -H sha512-pbkdf2] [-I iterations] [-c | -D] passwordfile username");
            out.println("       courtier passwd [-H sha512 | -H sha512-pbkdf2] [-I iterations] [-c] -b passwordfile username password");
            out.println("       courtier passwd -U passwordfile");
            out.println(" -b : batch mode: the password is given on the command line.");
            out.println(" -c : create a new password file, replacing any existing one.");
            out.println(" -D : delete the user instead of adding it or changing its password.");
            out.println(" -H : hash type: sha512-pbkdf2 (the default, $7$) or sha512 (older $6$).");
            out.println(" -I : PBKDF2 iterations (default " + PasswordHash.DEFAULT_ITERATIONS + ").");
            out.println(" -U : hash the passwords of a plain-text 'user:password' file in place.");
            return 1;
        }
    }
}
