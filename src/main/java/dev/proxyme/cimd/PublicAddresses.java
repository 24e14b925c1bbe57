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

    /**
     * IPv6 forms that carry an IPv4 address a gateway or the host itself may reach: IPv4-compatible ({@code ::/96}),
     * IPv4-translated ({@code ::ffff:0:0:0/96}), NAT64 ({@code 64:ff9b::/96}, {@code 64:ff9b:1::/48}), 6to4
     * ({@code 2002::/16}) and Teredo ({@code 2001::/32}): refused whatever address they carry.
     */
    private static boolean embedsIpv4(byte[] bytes) {
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= bytes[i] == 0;
        }
        int word0 = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
        int word1 = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int word2 = ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff);
        int word4 = ((bytes[8] & 0xff) << 8) | (bytes[9] & 0xff);
        int word5 = ((bytes[10] & 0xff) << 8) | (bytes[11] & 0xff);
        boolean compatible = first10Zero && word5 == 0;
        boolean translated = word0 == 0
                && word1 == 0
                && word2 == 0
                && bytes[6] == 0
                && bytes[7] == 0
                && word4 == 0xffff
                && word5 == 0;
        boolean nat64 = word0 == 0x64 && word1 == 0xff9b;
        boolean sixToFour = word0 == 0x2002;
        boolean teredo = word0 == 0x2001 && word1 == 0;
        return compatible || translated || nat64 || sixToFour || teredo;
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
            return !uniqueLocal && !embedsIpv4(bytes);
        }
        return false;
    }
}
