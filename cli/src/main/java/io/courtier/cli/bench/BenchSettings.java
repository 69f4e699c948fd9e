package io.courtier.cli.bench;

/** The knobs every scenario shares, after the command line is read. */
record BenchSettings(String host, int port, int qos, int size, int duration, long count, double rate, int window,
                     int drainSeconds, BenchTransport transport,
                     int warmupSeconds, String username, String password) {
}
