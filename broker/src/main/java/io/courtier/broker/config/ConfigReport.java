package io.courtier.broker.config;

import java.util.List;

/**
 * What {@link ConfigParser#check} found: every error as {@code FILE:LINE: message}, the warnings,
 * and, when there was no error, the configuration with each listener's {@code FILE:LINE}
 * ({@code listenerOrigins}, in the order of {@code parsed.config().listeners()}).
 */
public record ConfigReport(ParsedConfig parsed, List<String> warnings, List<String> errors,
                           List<String> listenerOrigins) {
}
