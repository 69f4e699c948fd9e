package io.courtier.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Mosquitto's {@code mosquitto.conf} syntax: one directive a line, {@code #} comments,
 * {@code listener} blocks. Every error names {@code FILE:LINE}. Relative paths stay relative
 * to the working directory, as in Mosquitto.
 */
public final class ConfigParser {

    private final BrokerConfig.Builder builder = BrokerConfig.builder();
    private final List<ListenerDraft> listeners = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** The default listener made by {@code port}/{@code bind_address} outside any block. */
    private ListenerDraft defaultListener;
    private ListenerDraft current;
    private String file;
    private int line;

    private ConfigParser() {
    }

    public static ParsedConfig parse(Path path) throws ConfigException {
        ConfigParser p = new ConfigParser();
        p.readFile(path);
        return p.finish();
    }

    private void readFile(Path path) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Unable to open config file " + path + ": " + e.getMessage());
        }
        file = path.toString();
        for (int i = 0; i < lines.size(); i++) {
            line = i + 1;
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] words = text.split("\\s+", 2);
            directive(words[0], words.length > 1 ? words[1].strip() : "");
        }
    }

    private void directive(String name, String value) throws ConfigException {
        switch (name) {
            case "listener" -> listener(value);
            case "port" -> defaultListener().port = port(value);
            case "bind_address" -> defaultListener().bindAddress = required(name, value);
            case "allow_anonymous" -> builder.allowAnonymous(bool(name, value));
            case "sys_interval" -> builder.sysInterval = integer(name, value, 0, Integer.MAX_VALUE);
            case "max_inflight_messages" -> builder.maxInflightMessages = integer(name, value, 0, 65535);
            case "max_queued_messages" -> builder.maxQueuedMessages = integer(name, value, 0, Integer.MAX_VALUE);
            case "queue_qos0_messages" -> builder.queueQos0Messages = bool(name, value);
            case "message_size_limit" -> builder.messageSizeLimit = integer(name, value, 0, 268_435_455);
            case "max_packet_size" -> builder.maxPacketSize = integer(name, value, 0, 268_435_455);
            case "max_qos" -> builder.maxQos = integer(name, value, 0, 2);
            case "retain_available" -> builder.retainAvailable = bool(name, value);
            case "connection_messages" -> builder.connectionMessages = bool(name, value);
            case "set_tcp_nodelay" -> builder.setTcpNodelay = bool(name, value);
            default -> throw error("Unknown configuration variable \"" + name + "\".");
        }
    }

    private void listener(String value) throws ConfigException {
        String[] parts = required("listener", value).split("\\s+");
        int port = port(parts[0]);
        current = new ListenerDraft(file, line, port, parts.length > 1 ? parts[1] : null);
        listeners.add(current);
    }

    private ListenerDraft defaultListener() {
        if (defaultListener == null) {
            defaultListener = new ListenerDraft(file, line, BrokerConfig.DEFAULT_PORT, null);
            listeners.add(0, defaultListener);
        }
        return defaultListener;
    }

    private ParsedConfig finish() throws ConfigException {
        if (!listeners.isEmpty()) {
            List<ListenerConfig> built = new ArrayList<>();
            for (ListenerDraft d : listeners) {
                for (ListenerConfig other : built) {
                    if (other.port() == d.port && d.port != 0) {
                        throw ConfigException.at(d.file, d.line, "Duplicate listener on port " + d.port + ".");
                    }
                }
                built.add(d.build());
            }
            builder.listeners(built);
        }
        return new ParsedConfig(builder.build(), List.copyOf(warnings));
    }

    // ---- values --------------------------------------------------------------------------

    private ConfigException error(String message) {
        return ConfigException.at(file, line, message);
    }

    private String required(String name, String value) throws ConfigException {
        if (value.isEmpty()) {
            throw error("Empty " + name + " value in configuration.");
        }
        return value;
    }

    private int port(String value) throws ConfigException {
        return integer("port", value, 0, 65535);
    }

    private int integer(String name, String value, int min, int max) throws ConfigException {
        try {
            int n = Integer.parseInt(required(name, value));
            if (n < min || n > max) {
                throw error("Invalid " + name + " value (" + value + "): must be between " + min + " and " + max + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw error("Invalid " + name + " value (" + value + "): not a number.");
        }
    }

    private boolean bool(String name, String value) throws ConfigException {
        return switch (required(name, value)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error("Invalid " + name + " value (" + value + "): must be true or false.");
        };
    }
}
