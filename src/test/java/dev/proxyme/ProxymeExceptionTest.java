package dev.proxyme;

import org.junit.jupiter.api.Test;

import org.keycloak.OAuthErrorException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProxymeExceptionTest {

    @Test
    void echoedInputCannotForgeLinesOrGrowWithoutBound() {
        assertEquals("portalX-Injected: yes", ProxymeException.printable("portal\r\nX-Injected: yes"));
        assertEquals("a".repeat(64) + "...", ProxymeException.printable("a".repeat(500)));
        assertEquals("null", ProxymeException.printable(null));
    }

    @Test
    void carriesOAuthErrorAndStatus() {
        ProxymeException refused = ProxymeException.forbidden(OAuthErrorException.INVALID_SCOPE, "not granted");
        assertEquals(403, refused.status());
        assertEquals("invalid_scope", refused.error());
        assertEquals("not granted", refused.description());
    }
}
