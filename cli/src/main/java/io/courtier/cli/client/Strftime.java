package io.courtier.cli.client;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.WeekFields;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The strftime(3) conversions of the C locale, for {@code courtier sub -F '@Y-@m-@d'} (one
 * conversion at a time, {@link #format(char, ZonedDateTime)}) and the broker's
 * {@code log_timestamp_format} (a whole {@code %} pattern, {@link #pattern}): one class, so both
 * speak the same strftime. An unknown conversion prints itself, as glibc does.
 */
public final class Strftime {
    private Strftime() {
    }

    /** A whole strftime pattern ({@code "%Y-%m-%d %H:%M"}) in a zone, ready to format instants. */
    public static LongFunction<String> pattern(String format, ZoneId zone) {
        return epochMillis -> {
            ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
            StringBuilder out = new StringBuilder(format.length() + 16);
            for (int i = 0; i < format.length(); i++) {
                char c = format.charAt(i);
                if (c != '%' || i + 1 == format.length()) {
                    out.append(c);
                } else {
                    out.append(format(format.charAt(++i), t));
                }
            }
            return out.toString();
        };
    }

    /** "2016-08-10T09:47:38+0100": strftime's {@code %Y-%m-%dT%H:%M:%S%z}. */
    static String iso8601(ZonedDateTime t) {
        return format('Y', t) + "-" + format('m', t) + "-" + format('d', t) + "T" + format('T', t) + format('z', t);
    }

    public static String format(char c, ZonedDateTime t) {
        return switch (c) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'c' -> format('a', t) + " " + format('b', t) + " " + format('e', t) + " " + format('T', t) + " "
                    + format('Y', t);
            case 'C' -> two(t.getYear() / 100);
            case 'd' -> two(t.getDayOfMonth());
            case 'D', 'x' -> format('m', t) + "/" + format('d', t) + "/" + format('y', t);
            case 'e' -> pad2(t.getDayOfMonth());
            case 'F' -> format('Y', t) + "-" + format('m', t) + "-" + format('d', t);
            case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'g' -> two(t.get(IsoFields.WEEK_BASED_YEAR) % 100);
            case 'H' -> two(t.getHour());
            case 'I' -> two(hour12(t));
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'k' -> pad2(t.getHour());
            case 'l' -> pad2(hour12(t));
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'n' -> "\n";
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'P' -> t.getHour() < 12 ? "am" : "pm";
            case 'r' -> format('I', t) + ":" + format('M', t) + ":" + format('S', t) + " " + format('p', t);
            case 'R' -> format('H', t) + ":" + format('M', t);
            case 's' -> Long.toString(t.toEpochSecond());
            case 'S' -> two(t.getSecond());
            case 't' -> "\t";
            case 'T', 'X' -> format('H', t) + ":" + format('M', t) + ":" + format('S', t);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'U' -> two(t.get(WeekFields.of(DayOfWeek.SUNDAY, 7).weekOfYear()));
            case 'V' -> two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'W' -> two(t.get(WeekFields.of(DayOfWeek.MONDAY, 7).weekOfYear()));
            case 'y' -> two(t.getYear() % 100);
            case 'Y' -> Integer.toString(t.getYear());
            case 'z' -> offset(t.get(ChronoField.OFFSET_SECONDS));
            case 'Z' -> t.getZone().getDisplayName(TextStyle.SHORT, Locale.US).replace("Z", "UTC");
            case '%' -> "%";
            default -> "%" + c;
        };
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String pad2(int v) {
        return v < 10 ? " " + v : Integer.toString(v);
    }

    /** "+0100", "-0530". */
    static String offset(int seconds) {
        char sign = seconds < 0 ? '-' : '+';
        int abs = Math.abs(seconds) / 60;
        return sign + two(abs / 60) + two(abs % 60);
    }
}
