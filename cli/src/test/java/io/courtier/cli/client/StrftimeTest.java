package io.courtier.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** log_timestamp_format goes through strftime in Mosquitto; these are C's outputs for one instant. */
class StrftimeTest {

    /** Tuesday 5 March 2024, 09:07:03 UTC. */
    private static final long T = ZonedDateTime.of(2024, 3, 5, 9, 7, 3, 0, ZoneId.of("UTC")).toInstant().toEpochMilli();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%Y-%m-%dT%H:%M:%S | 2024-03-05T09:07:03",
            "%F %T | 2024-03-05 09:07:03",
            "%d/%b/%Y | 05/Mar/2024",
            "%a %A %B %y %j | Tue Tuesday March 24 065",
            "%e|' 5'",
            "%I:%M %p | 09:07 AM",
            "%s | 1709629623",
            "%z %Z | +0000 UTC",
            "100%% %q | 100% %q",
            "%D %R | 03/05/24 09:07",
            "%u %w | 2 2"})
    void formats(String format, String expected) {
        assertThat(Strftime.pattern(format, ZoneId.of("UTC")).apply(T)).isEqualTo(expected);
    }
}
