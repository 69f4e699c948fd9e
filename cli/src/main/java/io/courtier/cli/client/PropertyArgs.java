package io.courtier.cli.client;

import io.courtier.codec.PacketType;
import io.courtier.codec.Properties;
import io.courtier.codec.PropertyId;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code -D command identifier value} flag (and its user-property form
 * {@code -D command user-property name value}): names a packet, an MQTT 5 property in
 * lower case with '-' between words, and a value of the property's type.
 */
final class PropertyArgs {
    private PropertyArgs() {
    }

    /** How many arguments after {@code -D} this property takes: 3, or 4 for user-property. */
    static int arity(String identifier) {
        return "user-property".equalsIgnoreCase(identifier) ? 4 : 3;
    }

    /**
     * Adds one property to the config's list for its packet.
     *
     * @param args the arguments after -D: command, identifier, value (or name, value)
     */
    static void apply(ClientConfig config, String[] args) throws UsageException {
        String command = args[0].toLowerCase(Locale.ROOT);
        Properties.Builder target;
        PacketType packet;
        boolean will = false;
        switch (command) {
            case "connect" -> {
                target = config.connectProperties;
                packet = PacketType.CONNECT;
            }
            case "publish" -> {
                target = config.publishProperties;
                packet = PacketType.PUBLISH;
            }
            case "subscribe" -> {
                target = config.subscribeProperties;
                packet = PacketType.SUBSCRIBE;
            }
            case "unsubscribe" -> {
                target = config.unsubscribeProperties;
                packet = PacketType.UNSUBSCRIBE;
            }
            case "disconnect" -> {
                target = config.disconnectProperties;
                packet = PacketType.DISCONNECT;
            }
            case "will" -> {
                target = config.willProperties;
                packet = PacketType.CONNECT;
                will = true;
            }
            case "puback", "pubrec", "pubrel", "pubcomp", "auth" -> {
                // Accepted as Mosquitto does; the tools send these packets without user properties.
                target = Properties.builder();
                packet = PacketType.valueOf(command.toUpperCase(Locale.ROOT));
            }
            default -> throw new UsageException("Invalid command given in --property argument.");
        }
        PropertyId id = byName(args[1]);
        if (id == null) {
            throw new UsageException("Invalid property name given in --property argument.");
        }
        boolean allowed = will ? id.allowedInWill() : id.allowedIn(packet);
        // A client never sends a subscription identifier in PUBLISH [MQTT-3.3.4-6].
        if (!allowed || packet == PacketType.PUBLISH && id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            throw new UsageException(args[1] + " property not allowed for " + args[0] + " in --property argument.");
        }
        String value = args[2];
        switch (id.valueType()) {
            case BYTE -> target.add(id, (int) number(value, args[1], 255));
            case TWO_BYTE_INTEGER -> target.add(id, (int) number(value, args[1], 65535));
            case FOUR_BYTE_INTEGER -> target.add(id, number(value, args[1], 4294967295L));
            case VARIABLE_BYTE_INTEGER -> {
                long v = number(value, args[1], 268435455);
                if (v < 1) {
                    throw new UsageException("Property value (" + value + ") out of range for property " + args[1] + ".");
                }
                target.add(id, (int) v);
            }
            case UTF8_STRING -> target.add(id, value);
            case BINARY_DATA -> target.add(id, value.getBytes(StandardCharsets.UTF_8));
            case UTF8_STRING_PAIR -> target.userProperty(value, args[3]);
        }
    }

    private static long number(String value, String name, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > max) {
            throw new UsageException("Property value (" + value + ") out of range for property " + name + ".");
        }
        return v;
    }

    /** "payload-format-indicator" to {@link PropertyId#PAYLOAD_FORMAT_INDICATOR}, or null. */
    static PropertyId byName(String name) {
        String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
        for (PropertyId id : PropertyId.values()) {
            if (id.name().equals(key)) {
                return id;
            }
        }
        return null;
    }
}
