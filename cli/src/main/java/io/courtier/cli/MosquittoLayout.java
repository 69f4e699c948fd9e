package io.courtier.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.courtier.cli.client.Strftime;
import java.time.ZoneId;
import java.util.function.LongFunction;

/**
 * Mosquitto's log line: {@code TIMESTAMP: message}, the timestamp being seconds since the
 * epoch, or {@code log_timestamp_format} through strftime, or absent with
 * {@code log_timestamp false}. An exception adds one line: its type, message and first frame.
 */
final class MosquittoLayout extends LayoutBase<ILoggingEvent> {

    private final boolean timestamp;
    private final LongFunction<String> format;

    MosquittoLayout(boolean timestamp, String timestampFormat) {
        this.timestamp = timestamp;
        this.format = timestampFormat == null ? null : Strftime.pattern(timestampFormat, ZoneId.systemDefault());
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(128);
        if (timestamp) {
            out.append(format == null ? Long.toString(event.getTimeStamp() / 1000) : format.apply(event.getTimeStamp()))
                    .append(": ");
        }
        out.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            out.append("    ").append(t.getClassName());
            if (t.getMessage() != null) {
                out.append(": ").append(t.getMessage());
            }
            StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
            if (frames != null && frames.length > 0) {
                out.append(" at ").append(frames[0].getStackTraceElement());
            }
            out.append(CoreConstants.LINE_SEPARATOR);
        }
        return out.toString();
    }
}
