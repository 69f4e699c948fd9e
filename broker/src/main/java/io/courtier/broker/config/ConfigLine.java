package io.courtier.broker.config;

/**
 * One directive as read from a file: where it is, its name, and the rest of the line (stripped).
 * Every error about it carries {@code FILE:LINE}.
 */
record ConfigLine(String file, int line, String name, String value) {

    ConfigException error(String message) {
        return ConfigException.at(file, line, message);
    }

    /** {@code FILE:LINE} for warnings. */
    String where() {
        return file + ":" + line;
    }
}
