package io.courtier.cli.ctrl;

import io.courtier.cli.client.ClientConfig;
import java.nio.file.Path;

/**
 * mosquitto_ctrl's connection options, read up to the module name: {@code -h} host, {@code -p}
 * port, {@code -u}/{@code -P} user name and password, {@code -i} client id, and the TLS ones
 * ({@code --cafile}, {@code --capath}, {@code --cert}, {@code --key}, {@code --insecure},
 * {@code --tls-version}); any TLS option makes the connection use TLS, as in mosquitto_ctrl.
 */
final class CtrlOptions {
    private CtrlOptions() {
    }

    /** Fills {@code c} and returns the index of the first argument after the options. */
    static int parse(String[] args, ClientConfig c) throws CtrlException {
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String flag = args[i];
            if (flag.equals("--insecure")) {
                c.insecure = true;
                i++;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new CtrlException("Error: " + flag + " argument given but no value specified.", 1);
            }
            String v = args[i + 1];
            switch (flag) {
                case "-h", "--host" -> c.host = v;
                case "-p", "--port" -> c.port = port(v);
                case "-u", "--username" -> c.username = v;
                case "-P", "--pw" -> c.password = v;
                case "-i", "--id" -> c.clientId = v;
                case "--cafile" -> c.caFile = Path.of(v);
                case "--capath" -> c.caPath = Path.of(v);
                case "--cert" -> c.certFile = Path.of(v);
                case "--key" -> c.keyFile = Path.of(v);
                case "--tls-version" -> c.tlsVersion = v;
                default -> throw new CtrlException("Error: Unknown option '" + flag + "'.", 1);
            }
            i += 2;
        }
        return i;
    }

    private static int port(String v) throws CtrlException {
        try {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CtrlException("Error: Invalid port given: " + v, 1);
    }
}
