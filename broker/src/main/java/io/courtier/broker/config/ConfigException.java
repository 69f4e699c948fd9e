package io.courtier.broker.config;

/** A configuration error; the message is {@code FILE:LINE: message} as the user sees it. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    static ConfigException at(String file, int line, String message) {
        return new ConfigException(file + ":" + line + ": " + message);
    }
}
