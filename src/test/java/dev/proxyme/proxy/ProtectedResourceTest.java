package dev.proxyme.proxy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 9728 section 3.1: which resource a metadata URL is for. */
class ProtectedResourceTest {

    @Test
    void theWellKnownSuffixGoesBetweenOriginAndPath() {
        assertEquals(
                Optional.of("/mcp"),
                ProtectedResource.resourcePathOfMetadataRequest("/.well-known/oauth-protected-resource/mcp"));
        assertEquals(
                Optional.of("/mcp/v1"),
                ProtectedResource.resourcePathOfMetadataRequest("/.well-known/oauth-protected-resource/mcp/v1/?x=1"));
        assertEquals(
                Optional.of(""),
                ProtectedResource.resourcePathOfMetadataRequest("/.well-known/oauth-protected-resource"));
        assertEquals(
                Optional.empty(),
                ProtectedResource.resourcePathOfMetadataRequest("/.well-known/oauth-protected-resourceX"));
        assertEquals(Optional.empty(), ProtectedResource.resourcePathOfMetadataRequest("/elsewhere"));
        assertEquals(Optional.empty(), ProtectedResource.resourcePathOfMetadataRequest(null));
    }
}
