package io.courtier.cli.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.courtier.codec.Property;
import io.courtier.codec.PropertyId;
import io.courtier.codec.UserProperty;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %j} and {@code %J}: a message as one JSON object, printed as mosquitto_sub prints it
 * (compact, or with tabs and new lines under {@code --pretty}). For {@code %J} the payload must
 * itself be JSON; it is parsed and printed back in the same style, numbers as C's {@code %g} writes them.
 */
final class Json {
    private Json() {
    }

    /** A parsed JSON value: String key order is kept. */
    private sealed interface Value permits Obj, Arr, Str, Num, Lit {
    }

    private record Obj(List<String> keys, List<Value> values) implements Value {
        Obj() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        Obj put(String key, Value v) {
            keys.add(key);
            values.add(v);
            return this;
        }
    }

    private record Arr(List<Value> items) implements Value {
    }

    /** A string as bytes (payloads need not be UTF-8). */
    private record Str(byte[] bytes) implements Value {
        static Str of(String s) {
            return new Str(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Num(double value) implements Value {
    }

    private record Lit(String text) implements Value {
    }

    static String message(OutputFormat.Message m, boolean rawPayload, boolean pretty, ByteArrayOutputStream out) {
        Value payload;
        if (m.payload().length == 0) {
            payload = new Lit("null");
        } else if (rawPayload) {
            payload = new Parser(m.payload()).parseWhole();
            if (payload == null) {
                return "Error: Message payload is not valid JSON on topic " + m.topic() + ".";
            }
        } else {
            payload = new Str(untilNul(m.payload()));
        }
        Obj o = new Obj();
        o.put("tst", Str.of(timestamp(m)));
        o.put("topic", Str.of(m.topic()));
        o.put("qos", new Num(m.qos()));
        o.put("retain", new Num(m.retain() ? 1 : 0));
        o.put("payloadlen", new Num(m.payload().length));
        if (m.qos() > 0) {
            o.put("mid", new Num(m.mid()));
        }
        if (!m.properties().isEmpty()) {
            o.put("properties", properties(m));
        }
        o.put("payload", payload);
        print(o, pretty, 0, out);
        return null;
    }

    /** The payload as a C string, as mosquitto_sub passes it to its JSON writer: up to the first NUL byte. */
    private static byte[] untilNul(byte[] payload) {
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                return java.util.Arrays.copyOf(payload, i);
            }
        }
        return payload;
    }

    /** "2020-05-06T22:12:00.000000Z+0100": local time with microseconds, then the offset. */
    private static String timestamp(OutputFormat.Message m) {
        ZonedDateTime t = ZonedDateTime.ofInstant(m.received(), ZoneId.systemDefault());
        return Strftime.format('F', t) + "T" + Strftime.format('T', t) + "."
                + String.format("%06d", m.received().getNano() / 1000) + "Z" + Strftime.format('z', t);
    }

    private static Obj properties(OutputFormat.Message m) {
        Obj o = new Obj();
        Obj user = null;
        for (Property p : m.properties().asList()) {
            PropertyId id = p.id();
            String name = id.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            switch (id) {
                case USER_PROPERTY -> {
                    if (user == null) {
                        user = new Obj();
                        o.put("user-properties", user);
                    }
                    UserProperty u = (UserProperty) p.value();
                    user.put(u.name(), Str.of(u.value()));
                }
                case CORRELATION_DATA -> o.put(name, new Str((byte[]) p.value()));
                case CONTENT_TYPE, RESPONSE_TOPIC -> o.put(name, Str.of((String) p.value()));
                case PAYLOAD_FORMAT_INDICATOR, MESSAGE_EXPIRY_INTERVAL, TOPIC_ALIAS, SUBSCRIPTION_IDENTIFIER ->
                        o.put(name, new Num(((Number) p.value()).doubleValue()));
                default -> { }
            }
        }
        return o;
    }

    // ------------------------------------------------------------ printing

    private static void print(Value v, boolean pretty, int depth, ByteArrayOutputStream out) {
        if (v instanceof Obj o) {
            out.write('{');
            if (pretty) {
                out.write('\n');
            }
            for (int i = 0; i < o.keys().size(); i++) {
                if (pretty) {
                    tabs(depth + 1, out);
                }
                string(o.keys().get(i).getBytes(StandardCharsets.UTF_8), out);
                out.write(':');
                if (pretty) {
                    out.write('\t');
                }
                print(o.values().get(i), pretty, depth + 1, out);
                if (i + 1 < o.keys().size()) {
                    out.write(',');
                }
                if (pretty) {
                    out.write('\n');
                }
            }
            if (pretty) {
                tabs(depth, out);
            }
            out.write('}');
        } else if (v instanceof Arr a) {
            out.write('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    out.write(',');
                    if (pretty) {
                        out.write(' ');
                    }
                }
                print(a.items().get(i), pretty, depth + 1, out);
            }
            out.write(']');
        } else if (v instanceof Str s) {
            string(s.bytes(), out);
        } else if (v instanceof Num n) {
            OutputFormat.ascii(out, number(n.value()));
        } else if (v instanceof Lit l) {
            OutputFormat.ascii(out, l.text());
        }
    }

    private static void tabs(int n, ByteArrayOutputStream out) {
        for (int i = 0; i < n; i++) {
            out.write('\t');
        }
    }

    /** Quotes and escapes: '"', '\\', the short escapes, \\u00XX for other control bytes; all else as is. */
    private static void string(byte[] bytes, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (c < 0x20) {
                        OutputFormat.ascii(out, String.format("\\u%04x", c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    /** Integers as integers; other numbers as C's {@code %1.15g}, or {@code %1.17g} when 15 digits do not round-trip. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0 && 1 / d < 0) {
            return "-0"; // as %g prints negative zero
        }
        if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
            return Long.toString((long) d);
        }
        String s = g(d, 15);
        if (Double.parseDouble(s) != d) {
            s = g(d, 17);
        }
        return s;
    }

    /** C's {@code %.Pg}: P significant digits, fixed or exponent notation, trailing zeros dropped. */
    private static String g(double d, int precision) {
        BigDecimal bd = new BigDecimal(d).round(new MathContext(precision));
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = bd.movePointLeft(exponent);
            String m = strip(mantissa.toPlainString());
            String e = Integer.toString(Math.abs(exponent));
            return m + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return strip(bd.toPlainString());
    }

    private static String strip(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    // ------------------------------------------------------------ parsing

    /**
     * Reads a payload as one JSON value (RFC 8259) with Jackson's streaming parser, into the
     * values printed above: object members keep their order (and their repeats, as cJSON does);
     * null when the bytes are not exactly one JSON value.
     */
    private static final class Parser {
        private static final JsonFactory FACTORY = JsonFactory.builder()
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
        private final byte[] s;

        Parser(byte[] s) {
            this.s = s;
        }

        Value parseWhole() {
            try (JsonParser p = FACTORY.createParser(s)) {
                if (p.nextToken() == null) {
                    return null;
                }
                Value v = value(p);
                return p.nextToken() == null ? v : null;
            } catch (java.io.IOException e) {
                return null;
            }
        }

        private static Value value(JsonParser p) throws java.io.IOException {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    Obj o = new Obj();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        o.put(key, value(p));
                    }
                    return o;
                }
                case START_ARRAY -> {
                    List<Value> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(value(p));
                    }
                    return new Arr(items);
                }
                case VALUE_STRING -> {
                    return Str.of(p.getText());
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    return new Num(p.getDoubleValue());
                }
                case VALUE_TRUE -> {
                    return new Lit("true");
                }
                case VALUE_FALSE -> {
                    return new Lit("false");
                }
                case VALUE_NULL -> {
                    return new Lit("null");
                }
                default -> throw new java.io.IOException("unexpected " + t);
            }
        }
    }
}
