package io.courtier.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A whole strftime pattern, for {@code log_timestamp_format} (Mosquitto passes the value to
 * strftime). The conversions themselves are {@link io.courtier.cli.client.Strftime}'s, shared
 * with {@code courtier sub -F}, so both speak the same C-locale strftime. Local time.
 */
final class Strftime {

    private final String format;
    private final ZoneId zone;

    Strftime(String format, ZoneId zone) {
        this.format = format;
        this.zone = zone;
    }

    String format(long epochMillis) {
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
        StringBuilder out = new StringBuilder(format.length() + 16);
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
            } else {
                out.append(io.courtier.cli.client.Strftime.format(format.charAt(++i), t));
            }
        }
        return out.toString();
    }
}
