package io.courtier.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Mosquitto's default log timestamp: seconds since the epoch ("1732512345: message"). */
public final class EpochSecondsConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Long.toString(event.getTimeStamp() / 1000);
    }
}
