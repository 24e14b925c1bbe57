package dev.proxyme.cimd;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedDocumentsTest {

    private final AllowedDocuments allowed = AllowedDocuments.parse(List.of(
            "https://vscode.dev/oauth/client-metadata.json read,write portal-a",
            "https://claude.ai/* read *",
            "https://*.example.com/* read portal-b,portal-c",
            "https://127.0.0.1:8443/* read portal-a",
            "http://insecure.example/client.json read portal-a",
            "https://broken.example/client.json",
            "https://query.example/client.json?x=1 read portal-a"));

    @Test
    void anEntryAllowsItsExactDocumentOrItsHostsOrItsDomains() {
        assertEquals(
                Set.of("read", "write"),
                allowed.allowing("https://vscode.dev/oauth/client-metadata.json")
                        .orElseThrow()
                        .scopes()
                        .names());
        assertEquals(
                Set.of("*"),
                allowed.allowing("https://claude.ai/x.json").orElseThrow().portals());
        assertEquals(
                Set.of("portal-b", "portal-c"),
                allowed.allowing("https://tools.example.com/c.json")
                        .orElseThrow()
                        .portals());
        assertTrue(allowed.allowing("https://example.com/c.json").isPresent(), "the domain itself");
        assertTrue(allowed.allowing("https://127.0.0.1:8443/c.json").isPresent());
    }

    @Test
    void nothingElseIsAllowed() {
        for (String clientId : List.of(
                "https://vscode.dev/oauth/client-metadata.json?x",
                "https://vscode.dev/oauth/other.json",
                "https://VSCODE.dev/oauth/client-metadata.json",
                "https://vscode.dev:443/oauth/client-metadata.json",
                "https://evil.claude.ai/x.json",
                "https://claude.ai.evil.example/x.json",
                "https://claude.ai:8443/x.json",
                "https://user@claude.ai/x.json",
                "http://claude.ai/x.json",
                "https://badexample.com/c.json",
                "https://127.0.0.1/c.json",
                "https://127.0.0.1:8444/c.json",
                "http://insecure.example/client.json",
                "https://broken.example/client.json",
                "https://query.example/client.json?x=1",
                "not a url")) {
            assertTrue(allowed.allowing(clientId).isEmpty(), clientId);
        }
    }

    @Test
    void keycloaksTrustedDomainsAreTheEntriesHosts() {
        assertEquals(List.of("vscode.dev", "claude.ai", "*.example.com", "127.0.0.1"), allowed.trustedDomains());
    }
}
