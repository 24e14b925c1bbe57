package dev.proxyme.cimd;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Whether a document's host may be fetched from inside the realm's network: only when every address it resolves to is
 * a public one. Loopback, private (RFC 1918, RFC 4193), link-local (cloud metadata services live there), carrier-grade
 * NAT (RFC 6598), unspecified and multicast addresses are refused, so that a client id cannot make Keycloak reach what
 * only it can reach. Checked before the fetch; Keycloak's HTTP client resolves the name again, so an attacker's DNS
 * answering differently within the fetch's second is not ruled out by this check alone.
 */
final class PublicAddresses {

    private PublicAddresses() {}

    /** The host's addresses, or an empty list when it does not resolve. */
    static List<InetAddress> of(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException unresolved) {
            return List.of();
        }
    }

    static boolean allPublic(List<InetAddress> addresses) {
        return !addresses.isEmpty() && addresses.stream().allMatch(PublicAddresses::isPublic);
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            boolean carrierNat = first == 100 && second >= 64 && second <= 127;
            boolean thisNetwork = first == 0;
            boolean reserved = first >= 240;
            return !carrierNat && !thisNetwork && !reserved;
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
            return !uniqueLocal;
        }
        return false;
    }
}
