package io.courtier.cli.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where {@code bench conn} connects from. One source address gives a client at most the kernel's
 * ephemeral port range (32768-60999 on Linux: about 28,000) connections to one broker port, so
 * past that the connections are spread over 127.0.0.2, 127.0.0.3, ... in turn: Linux routes all of
 * 127.0.0.0/8 to the loopback interface, with nothing to configure.
 */
final class SourceAddresses {

    /** Connections per source address when the count is chosen automatically: under the port range. */
    static final int PER_ADDRESS = 25_000;
    private static final int MAX = 250;

    private final InetSocketAddress[] addresses;

    private SourceAddresses(InetSocketAddress[] addresses) {
        this.addresses = addresses;
    }

    /**
     * {@code requested} addresses, or when 0 as many as {@code connections} need if the broker is
     * on loopback (a remote broker sees the machine's own address: the kernel chooses).
     */
    static SourceAddresses of(int requested, int connections, String brokerHost) throws UnknownHostException {
        if (requested < 0 || requested > MAX) {
            throw new IllegalArgumentException("--source-addresses must be between 0 and " + MAX + ", not " + requested);
        }
        int count = requested;
        if (count == 0 && connections > PER_ADDRESS && InetAddress.getByName(brokerHost).isLoopbackAddress()) {
            count = Math.min(MAX, (connections + PER_ADDRESS - 1) / PER_ADDRESS);
        }
        InetSocketAddress[] addresses = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) {
            addresses[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}), 0);
        }
        return new SourceAddresses(addresses);
    }

    /** The source of connection {@code i}, or null for the kernel's choice. */
    InetSocketAddress forConnection(int i) {
        return addresses.length == 0 ? null : addresses[i % addresses.length];
    }

    /** For the progress line: ", from 127.0.0.2-127.0.0.5", or nothing. */
    String describe() {
        if (addresses.length == 0) {
            return "";
        }
        String first = addresses[0].getAddress().getHostAddress();
        return addresses.length == 1 ? ", from " + first
                : ", from " + first + "-" + addresses[addresses.length - 1].getAddress().getHostAddress();
    }
}
