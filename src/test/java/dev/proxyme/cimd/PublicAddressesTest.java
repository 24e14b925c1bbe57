package dev.proxyme.cimd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicAddressesTest {

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Test
    void whatOnlyTheServerCanReachIsNotPublic() {
        for (String literal : List.of(
                "127.0.0.1",
                "127.1.2.3",
                "10.0.0.1",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd12::1",
                "::ffff:127.0.0.1",
                "::127.0.0.1",
                "::ffff:0:127.0.0.1",
                "64:ff9b::7f00:1",
                "64:ff9b:1::a9fe:a9fe",
                "2002:7f00:1::",
                "2001:0:4136:e378:8000:63bf:3fff:fdd2")) {
            assertFalse(PublicAddresses.isPublic(address(literal)), literal);
        }
    }

    @Test
    void publicAddressesArePublicAndAnUnresolvedHostIsNot() {
        for (String literal : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:82a::200e")) {
            assertTrue(PublicAddresses.isPublic(address(literal)), literal);
        }
        assertFalse(PublicAddresses.allPublic(List.of()), "no address resolved");
        assertFalse(PublicAddresses.allPublic(List.of(address("8.8.8.8"), address("10.0.0.1"))), "every one must be");
    }
}
