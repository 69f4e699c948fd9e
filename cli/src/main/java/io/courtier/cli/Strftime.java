package io.courtier.cli;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * C's {@code strftime} conversions, for {@code log_timestamp_format} (Mosquitto passes the
 * value to strftime). Covers the POSIX conversions people put in log timestamps; an unknown
 * conversion is written as is. Local time, English names, as in the "C" locale.
 */
final class Strftime {

    private final String format;
    private final ZoneId zone;

    Strftime(String format, ZoneId zone) {
        this.format = format;
        this.zone = zone;
    }

    String format(long epochMillis) {
        ZonedDateTime t = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), zone);
        StringBuilder out = new StringBuilder(format.length() + 16);
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char k = format.charAt(++i);
            switch (k) {
                case 'Y' -> out.append(t.getYear());
                case 'C' -> pad(out, t.getYear() / 100, 2);
                case 'y' -> pad(out, t.getYear() % 100, 2);
                case 'm' -> pad(out, t.getMonthValue(), 2);
                case 'd' -> pad(out, t.getDayOfMonth(), 2);
                case 'e' -> out.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'j' -> pad(out, t.getDayOfYear(), 3);
                case 'H' -> pad(out, t.getHour(), 2);
                case 'I' -> pad(out, (t.getHour() + 11) % 12 + 1, 2);
                case 'M' -> pad(out, t.getMinute(), 2);
                case 'S' -> pad(out, t.getSecond(), 2);
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'u' -> out.append(t.getDayOfWeek().getValue());
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'z' -> out.append(DateTimeFormatter.ofPattern("xx", Locale.ROOT).format(t));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.US));
                case 's' -> out.append(epochMillis / 1000);
                case 'F' -> out.append(new Strftime("%Y-%m-%d", zone).format(epochMillis));
                case 'T' -> out.append(new Strftime("%H:%M:%S", zone).format(epochMillis));
                case 'R' -> out.append(new Strftime("%H:%M", zone).format(epochMillis));
                case 'D' -> out.append(new Strftime("%m/%d/%y", zone).format(epochMillis));
                case 'c' -> out.append(new Strftime("%a %b %e %H:%M:%S %Y", zone).format(epochMillis));
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '%' -> out.append('%');
                default -> out.append('%').append(k);
            }
        }
        return out.toString();
    }

    private static void pad(StringBuilder out, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        out.append(s);
    }
}
