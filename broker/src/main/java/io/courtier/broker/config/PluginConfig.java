package io.courtier.broker.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * A {@code plugin /path/x.jar} line and the {@code plugin_opt_NAME VALUE} lines after it.
 *
 * @param where   the plugin line's {@code FILE:LINE}, for errors found when the jar is loaded
 * @param options keyed without the {@code plugin_opt_} prefix, in file order
 */
public record PluginConfig(String where, Path jar, Map<String, String> options) {
}
