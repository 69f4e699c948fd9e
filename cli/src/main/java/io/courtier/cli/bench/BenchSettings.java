package io.courtier.cli.bench;

/**
 * The knobs every scenario shares, after the command line is read. {@code subPort} and
 * {@code pubPorts} put subscribers and publishers on other ports of the same host (the nodes of
 * a cluster); 0 and empty: {@code port}.
 */
record BenchSettings(String host, int port, int qos, int size, int duration, long count, double rate, int window,
                     int drainSeconds, BenchTransport transport,
                     int warmupSeconds, String username, String password, int subPort, int[] pubPorts) {

    int subscriberPort() {
        return subPort != 0 ? subPort : port;
    }

    /** Publisher i's port: round robin over {@code --pub-ports}. */
    int publisherPort(int i) {
        return pubPorts.length == 0 ? port : pubPorts[i % pubPorts.length];
    }

    /** Whether publishers and subscribers are on different nodes. */
    boolean crossesNodes() {
        if (subscriberPort() != port && pubPorts.length == 0) {
            return true;
        }
        for (int p : pubPorts) {
            if (p != subscriberPort()) {
                return true;
            }
        }
        return false;
    }
}
