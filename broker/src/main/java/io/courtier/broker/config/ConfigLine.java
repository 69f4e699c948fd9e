package io.courtier.broker.config;

/**
 * One directive as read from a file: where it is, its name, and the rest of the line (stripped,
 * without a trailing comment). Every error about it carries {@code FILE:LINE}.
 */
record ConfigLine(String file, int line, String name, String value) {

    /**
     * Splits a non-comment line into its directive and value. A {@code #} that starts a word
     * begins a comment, so {@code allow_anonymous true # A modifier} reads {@code true}, as
     * tutorials write it. Mosquitto 2.0.11 reads only the first word of flags, numbers and
     * {@code listener PORT [ADDRESS]} (an address starting with {@code #} is none) and so
     * ignores such a comment; it keeps it inside whole-line values (paths, {@code auto_id_prefix},
     * {@code bind_address}), where it then fails to open {@code "pw # comment"} or, worse, saves
     * to a directory that does not exist. Courtier drops the comment there too (README).
     */
    static ConfigLine parse(String file, int line, String text) {
        String[] words = text.split("\\s+", 2);
        String value = words.length > 1 ? withoutComment(words[1]) : "";
        if (words[0].equals("topic") && words.length > 1 && words[1].startsWith("#")) {
            // A bridge's "topic # both 2": there the first word is the pattern, not a comment.
            String[] rest = words[1].split("\\s+", 2);
            value = rest.length > 1 ? (rest[0] + " " + withoutComment(rest[1])).strip() : rest[0];
        }
        return new ConfigLine(file, line, words[0], value);
    }

    private static String withoutComment(String rest) {
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '#' && (i == 0 || Character.isWhitespace(rest.charAt(i - 1)))) {
                return rest.substring(0, i).strip();
            }
        }
        return rest.strip();
    }

    ConfigException error(String message) {
        return ConfigException.at(file, line, message);
    }

    /** {@code FILE:LINE} for warnings. */
    String where() {
        return file + ":" + line;
    }
}
