package io.courtier.cli.client;

import io.courtier.codec.Properties;
import io.courtier.codec.Property;
import io.courtier.codec.PropertyId;
import io.courtier.codec.UserProperty;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * {@code courtier sub -F FORMAT}: mosquitto_sub's output format language. {@code %x} sequences
 * print message fields (with printf-like flags, width and precision), {@code @x} sequences pass
 * one character to strftime, {@code \x} sequences are escapes. See mosquitto_sub(1), "Output format".
 */
public final class OutputFormat {
    private OutputFormat() {
    }

    private static final String CONVERSIONS = "%ACDEFIjJlmpPqRrStUxX";
    private static final String ESCAPES = "\\0aenrtv";
    /** Conversions whose field width is honoured. */
    private static final String WIDTH = "ACEFIlmpRStxX";
    /** Conversions that honour the 0 flag (numbers). */
    private static final String ZERO_PAD = "AEFlmSxX";
    /** Conversions that honour a maximum width (precision). */
    private static final String MAX_WIDTH = "CIRt";

    /** One received message, as the formats see it. */
    public record Message(String topic, byte[] payload, int qos, boolean retain, int mid, Properties properties,
                          Instant received) {
    }

    /** Refuses a format with an unknown or unfinished sequence, as mosquitto_sub does before connecting. */
    public static void validate(String format) throws UsageException {
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char ch = format.charAt(i);
            if (ch == '%') {
                i++;
                while (i < n && (format.charAt(i) == '-' || format.charAt(i) == '0')) {
                    i++;
                }
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i < n && format.charAt(i) == '.') {
                    i++;
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                }
                if (i >= n) {
                    throw new UsageException("Incomplete format specifier.");
                }
                if (CONVERSIONS.indexOf(format.charAt(i)) < 0) {
                    throw new UsageException("Invalid format specifier '" + format.charAt(i) + "'.");
                }
            } else if (ch == '@') {
                if (++i >= n) {
                    throw new UsageException("Incomplete format specifier.");
                }
            } else if (ch == '\\') {
                if (++i >= n) {
                    throw new UsageException("Incomplete escape specifier.");
                }
                if (ESCAPES.indexOf(format.charAt(i)) < 0) {
                    throw new UsageException("Invalid escape specifier '" + format.charAt(i) + "'.");
                }
            }
        }
    }

    /**
     * Appends one message printed with {@code format} (already validated) to {@code out}.
     * Returns an error message for stderr (a %J payload that is not JSON), or null.
     */
    public static String render(String format, Message m, boolean pretty, ByteArrayOutputStream out) {
        String error = null;
        ZonedDateTime local = null;
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char ch = format.charAt(i);
            if (ch == '%') {
                i++;
                boolean left = false;
                boolean zero = false;
                while (format.charAt(i) == '-' || format.charAt(i) == '0') {
                    left |= format.charAt(i) == '-';
                    zero |= format.charAt(i) == '0';
                    i++;
                }
                int width = 0;
                while (Character.isDigit(format.charAt(i))) {
                    width = width * 10 + format.charAt(i++) - '0';
                }
                int precision = -1;
                if (format.charAt(i) == '.') {
                    i++;
                    precision = 0;
                    while (Character.isDigit(format.charAt(i))) {
                        precision = precision * 10 + format.charAt(i++) - '0';
                    }
                }
                char conv = format.charAt(i);
                if (conv == 'j' || conv == 'J') {
                    String e = Json.message(m, conv == 'J', pretty, out);
                    error = e != null ? e : error;
                    continue;
                }
                byte[] field = field(conv, m);
                if (field == null) {
                    continue;
                }
                if (precision >= 0 && MAX_WIDTH.indexOf(conv) >= 0 && field.length > precision) {
                    byte[] cut = new byte[precision];
                    System.arraycopy(field, 0, cut, 0, precision);
                    field = cut;
                }
                if (conv == 'p' && width > 0 && field.length > width) {
                    // mosquitto_sub prints a payload in exactly `width` bytes: cut, not only padded.
                    byte[] cut = new byte[width];
                    System.arraycopy(field, 0, cut, 0, width);
                    field = cut;
                }
                if (WIDTH.indexOf(conv) < 0) {
                    width = 0;
                }
                pad(out, field, width, left, zero && !left && ZERO_PAD.indexOf(conv) >= 0);
            } else if (ch == '@') {
                char t = format.charAt(++i);
                if (t == '@') {
                    out.write('@');
                } else if (t == 'N') {
                    ascii(out, String.format("%09d", m.received().getNano()));
                } else {
                    if (local == null) {
                        local = ZonedDateTime.ofInstant(m.received(), ZoneId.systemDefault());
                    }
                    ascii(out, Strftime.format(t, local));
                }
            } else if (ch == '\\') {
                char e = format.charAt(++i);
                out.write(switch (e) {
                    case '0' -> 0;
                    case 'a' -> 7;
                    case 'e' -> 27;
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'v' -> 11;
                    default -> e; // '\\'
                });
            } else if (ch < 0x80) {
                out.write(ch);
            } else {
                // Literal non-ASCII text in the format: copy it as UTF-8.
                int end = i + Character.charCount(format.codePointAt(i));
                out.writeBytes(format.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return error;
    }

    private static byte[] field(char conv, Message m) {
        Properties p = m.properties();
        return switch (conv) {
            case '%' -> new byte[] {'%'};
            case 'A' -> number(p.integer(PropertyId.TOPIC_ALIAS));
            case 'C' -> text(p.string(PropertyId.CONTENT_TYPE));
            case 'D' -> p.binary(PropertyId.CORRELATION_DATA);
            case 'E' -> number(p.fourByte(PropertyId.MESSAGE_EXPIRY_INTERVAL));
            case 'F' -> number(p.integer(PropertyId.PAYLOAD_FORMAT_INDICATOR));
            case 'I' -> text(Strftime.iso8601(ZonedDateTime.ofInstant(m.received(), ZoneId.systemDefault())));
            case 'l' -> text(Integer.toString(m.payload().length));
            case 'm' -> text(Integer.toString(m.mid()));
            case 'p' -> m.payload();
            case 'P' -> userProperties(p);
            case 'q' -> text(Integer.toString(m.qos()));
            case 'R' -> text(p.string(PropertyId.RESPONSE_TOPIC));
            case 'r' -> text(m.retain() ? "1" : "0");
            case 'S' -> subscriptionIds(p);
            case 't' -> text(m.topic());
            case 'U' -> text(m.received().getEpochSecond() + "." + String.format("%09d", m.received().getNano()));
            case 'x' -> hex(m.payload(), "0123456789abcdef");
            case 'X' -> hex(m.payload(), "0123456789ABCDEF");
            default -> null;
        };
    }

    private static byte[] userProperties(Properties p) {
        StringBuilder sb = new StringBuilder();
        for (Property prop : p.asList()) {
            if (prop.id() == PropertyId.USER_PROPERTY) {
                UserProperty u = (UserProperty) prop.value();
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(u.name()).append(':').append(u.value());
            }
        }
        return sb.length() == 0 ? null : text(sb.toString());
    }

    private static byte[] subscriptionIds(Properties p) {
        StringBuilder sb = new StringBuilder();
        for (Integer id : p.subscriptionIdentifiers()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(id);
        }
        return sb.length() == 0 ? null : text(sb.toString());
    }

    private static byte[] number(Number n) {
        return n == null ? null : text(n.toString());
    }

    private static byte[] text(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(byte[] payload, String digits) {
        byte[] out = new byte[payload.length * 2];
        for (int i = 0; i < payload.length; i++) {
            out[2 * i] = (byte) digits.charAt((payload[i] >> 4) & 0xF);
            out[2 * i + 1] = (byte) digits.charAt(payload[i] & 0xF);
        }
        return out;
    }

    private static void pad(ByteArrayOutputStream out, byte[] field, int width, boolean left, boolean zero) {
        int fill = width - field.length;
        if (!left) {
            for (int k = 0; k < fill; k++) {
                out.write(zero ? '0' : ' ');
            }
        }
        out.writeBytes(field);
        if (left) {
            for (int k = 0; k < fill; k++) {
                out.write(' ');
            }
        }
    }

    static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
