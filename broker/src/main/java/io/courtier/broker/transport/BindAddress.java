package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where a listener binds, from {@code listener PORT [ADDRESS]}, {@code bind_interface} (which
 * wins over the address, as in Mosquitto) and {@code socket_domain} (ipv4 or ipv6 only).
 */
final class BindAddress {

    private BindAddress() {
    }

    static InetSocketAddress of(ListenerConfig l) {
        String domain = l.socketDomain();
        if (l.bindInterface() != null) {
            return new InetSocketAddress(interfaceAddress(l.bindInterface(), domain), l.port());
        }
        if (l.bindAddress() == null) {
            if ("ipv4".equals(domain)) {
                return new InetSocketAddress(any("0.0.0.0"), l.port());
            }
            if ("ipv6".equals(domain)) {
                return new InetSocketAddress(any("::"), l.port());
            }
            return new InetSocketAddress(l.port());
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(l.bindAddress())) {
                if (matches(a, domain)) {
                    return new InetSocketAddress(a, l.port());
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Cannot resolve listener address " + l.bindAddress());
        }
        throw new IllegalStateException("Listener address " + l.bindAddress() + " has no " + domain + " address.");
    }

    private static InetAddress interfaceAddress(String name, String domain) {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            nif = null;
        }
        if (nif == null) {
            throw new IllegalStateException("Unable to find interface " + name + " (bind_interface).");
        }
        // One socket per listener: the interface's IPv4 address unless socket_domain asks for IPv6.
        List<InetAddress> addresses = nif.inetAddresses().toList();
        String wanted = domain != null ? domain : "ipv4";
        for (InetAddress a : addresses) {
            if (matches(a, wanted)) {
                return a;
            }
        }
        if (domain == null && !addresses.isEmpty()) {
            return addresses.get(0);
        }
        throw new IllegalStateException("Interface " + name + " has no " + wanted + " address (bind_interface).");
    }

    private static boolean matches(InetAddress a, String domain) {
        return domain == null || "ipv4".equals(domain) && a instanceof Inet4Address
                || "ipv6".equals(domain) && a instanceof Inet6Address;
    }

    private static InetAddress any(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
