package io.courtier.broker.config;

import java.util.List;

/** A parsed configuration and one warning per directive Courtier read but does not implement yet. */
public record ParsedConfig(BrokerConfig config, List<String> warnings) {
}
