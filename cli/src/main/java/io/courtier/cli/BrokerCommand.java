package io.courtier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ConfigException;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.config.ParsedConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code courtier broker}: runs the MQTT broker with {@code mosquitto}'s flags. SIGTERM and SIGINT
 * stop it cleanly with exit status 0.
 */
@Command(name = "broker", description = "Run the MQTT broker (the default command).")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE",
            description = "Read the configuration from FILE (mosquitto.conf syntax).")
    Path configFile;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Listen on PORT instead of 1883 (local-only mode when no -c is given).")
    Integer port;

    @Option(names = {"-v", "--verbose"}, description = "Log everything, as log_type all does.")
    boolean verbose;

    @Option(names = {"-d", "--daemon"}, description = "Run in the background (done by the launcher script).")
    boolean daemon;

    @Override
    public Integer call() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (verbose) {
            root.setLevel(Level.DEBUG);
        }
        BrokerConfig config;
        try {
            config = configure();
        } catch (ConfigException e) {
            System.err.println("Error: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Broker broker;
        try {
            broker = Broker.start(config, Version.current());
        } catch (IllegalStateException e) {
            System.err.println("Error: " + e.getMessage());
            return 1;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
        return 0;
    }

    private BrokerConfig configure() throws ConfigException {
        if (configFile == null) {
            BrokerConfig.Builder b = BrokerConfig.builder();
            if (port != null) {
                b.listeners = BrokerConfig.localOnlyListeners(port);
            }
            return b.build();
        }
        ParsedConfig parsed = ConfigParser.parse(configFile);
        parsed.warnings().forEach(w -> LoggerFactory.getLogger("courtier").warn(w));
        BrokerConfig config = parsed.config();
        if (port != null) {
            // Mosquitto: -p with -c sets the port of the default listener.
            BrokerConfig.Builder b = config.toBuilder();
            b.listeners = config.listeners().stream().map(l -> l.withPort(port)).toList();
            config = b.build();
        }
        return config;
    }
}
