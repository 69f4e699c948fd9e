package io.courtier.cli;

import io.courtier.broker.Broker;
import io.courtier.broker.ConfigCheck;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ConfigException;
import io.courtier.broker.config.ConfigParser;
import io.courtier.broker.config.ParsedConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code courtier broker}: runs the MQTT broker with {@code mosquitto}'s flags. SIGTERM and SIGINT
 * stop it cleanly with exit status 0; SIGHUP reloads the configuration file and the password,
 * ACL and TLS files.
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

    @Option(names = {"-d", "--daemon"},
            description = "Run in the background once listening (bin/courtier does the detaching).")
    boolean daemon;

    @Option(names = "--test-config",
            description = "Check the configuration file, its include_dir files and the files it names (password, "
                    + "ACL, certificates), print each problem as FILE:LINE: message and exit: 0 if the broker "
                    + "would start with it, 1 if not. Opens no port.")
    boolean testConfig;

    @Override
    public Integer call() {
        if (testConfig) {
            return testConfiguration();
        }
        BrokerConfig config;
        List<String> warnings;
        try {
            ParsedConfig parsed = configure();
            config = parsed.config();
            warnings = parsed.warnings();
        } catch (ConfigException e) {
            // Mosquitto prints the error and stops with exit status 1 before opening anything.
            System.err.println("Error: " + e.getMessage());
            return 1;
        }
        LoggingSetup.apply(config, verbose);
        org.slf4j.Logger log = LoggerFactory.getLogger("courtier");
        if (configFile != null) {
            log.info("Config loaded from {}.", configFile);
        }
        warnings.forEach(log::warn);
        if (ignoredPort) {
            log.warn("-p {} ignored: the configuration file defines listeners (as mosquitto does).", port);
        }
        if (daemon && !Daemon.launchedInBackground()) {
            System.err.println("Warning: -d needs the bin/courtier launcher to detach; running in the foreground.");
        }
        UserDirective.warning(config).ifPresent(log::warn);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        PidFile pidFile;
        try {
            pidFile = PidFile.write(config.pidFile());
        } catch (IOException e) {
            System.err.println("Error: Unable to write pid file " + config.pidFile() + ": " + e.getMessage());
            return 1;
        }
        Broker broker;
        try {
            broker = Broker.start(config, Version.current());
            LoggingSetup.attach(broker.ingest());
        } catch (IllegalStateException e) {
            System.err.println("Error: " + e.getMessage());
            pidFile.remove();
            return 1;
        }
        try {
            Daemon.signalReady();
        } catch (IOException e) {
            System.err.println("Error: unable to tell the launcher the broker is ready: " + e.getMessage());
            broker.close();
            pidFile.remove();
            return 1;
        }
        // SIGHUP, as for mosquitto: read the configuration file again (ConfigReload says what
        // changes), reopen the log file (logrotate), read the password, ACL and certificate files
        // again; no connection is dropped. Runs on the JVM's signal thread.
        Signal.handle(new Signal("HUP"), s -> reload(broker, log));
        // The path the first clients take, run through a private broker while they connect.
        Warmup.startInBackground(Warmup.messages(), Warmup.connections());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
        pidFile.remove();
        return 0;
    }

    /** {@code --test-config}, as Mosquitto 2.1's: problems on stderr, a verdict on stdout. */
    private int testConfiguration() {
        if (configFile == null) {
            System.out.println("No configuration file given (-c FILE): the defaults are valid.");
            return 0;
        }
        ConfigCheck.Result result = ConfigCheck.run(configFile);
        result.warnings().forEach(w -> System.err.println("Warning: " + w));
        result.errors().forEach(e -> System.err.println("Error: " + e));
        if (!result.ok()) {
            System.out.println(configFile + ": " + result.errors().size() + " error(s) found.");
            return 1;
        }
        System.out.println(configFile + ": configuration OK.");
        return 0;
    }

    private synchronized void reload(Broker broker, org.slf4j.Logger log) {
        LoggingSetup.reopenFiles(); // first, so what the reload logs lands in the new file
        if (configFile == null) {
            broker.reload();
            return;
        }
        ParsedConfig fresh;
        try {
            fresh = configure();
        } catch (ConfigException e) {
            // As mosquitto: the error is logged, the broker keeps running on what it had.
            log.error("Reloading config: {} The configuration in force is kept.", e.getMessage());
            return;
        }
        broker.reload(fresh);
        LoggingSetup.apply(broker.context().config(), verbose); // log_dest, log_type... (files reopened)
        LoggingSetup.attach(broker.ingest());
    }

    /** Set when {@code -p} was given with a file that defines listeners: mosquitto ignores it. */
    boolean ignoredPort;

    ParsedConfig configure() throws ConfigException {
        if (configFile == null) {
            BrokerConfig.Builder b = BrokerConfig.builder();
            if (port != null) {
                b.listeners = BrokerConfig.localOnlyListeners(port);
            }
            return new ParsedConfig(b.build(), List.of());
        }
        ParsedConfig parsed = ConfigParser.parse(configFile);
        if (port == null) {
            return parsed;
        }
        BrokerConfig config = parsed.config();
        if (!config.localOnly()) {
            // Mosquitto 2: -p only moves the local-only listeners; a file's listeners win.
            ignoredPort = true;
            return parsed;
        }
        BrokerConfig.Builder b = config.toBuilder();
        b.listeners = BrokerConfig.localOnlyListeners(port);
        return new ParsedConfig(b.build(), parsed.warnings());
    }
}
