/**
 * The Java plugin SPI of the Courtier MQTT broker. Depend on {@code io.courtier:courtier-plugin-api}
 * with scope {@code provided}, implement {@link io.courtier.plugin.CourtierPlugin}, list the class in
 * {@code META-INF/services/io.courtier.plugin.CourtierPlugin}, and name the jar in the broker's
 * configuration with {@code plugin /path/to/plugin.jar}.
 */
package io.courtier.plugin;
