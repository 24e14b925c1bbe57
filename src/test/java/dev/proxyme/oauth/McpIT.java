package dev.proxyme.oauth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.NginxProxy;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static dev.proxyme.testsupport.ProxymeClient.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An MCP server written with the official MCP TypeScript SDK runs as a portal behind the shipped nginx config. The
 * SDK's own client, given only the server's URL and a pre-registered agent's client id, discovers the protected
 * resource metadata and the realm, gets the user's approval (Chromium), lists the tools and calls one as the user;
 * the user revokes on their page, and the next call is refused and the SDK's refresh fails.
 */
@ExtendWith(KeycloakServerExtension.class)
class McpIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    McpIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void theMcpSdkDiscoversAuthorizesCallsAToolAndIsStoppedByRevocation() {
        try (ClientProgram mcpServer = ClientProgram.node("mcp-server.mjs", "0")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx = new NginxProxy(server, REALM, "portal-mcp", mcpServerUrl.getAuthority())) {
                String resource = nginx.uri("/mcp").toString();
                createPortal("portal-mcp", "Tools Portal", resource, "* /mcp read");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", "Claude-like MCP client");
                body.put("scopes", List.of("read"));
                body.put("portals", List.of("portal-mcp"));
                body.put("redirect_uris", List.of("http://127.0.0.1/callback"));
                body.put("token_endpoint_auth_method", "none");
                Reply agent = client.registerAgent(body);
                assertEquals(201, agent.status(), agent::toString);

                try (ClientProgram mcpClient =
                                ClientProgram.node("mcp-client.mjs", resource, agent.text("client_id"), "0");
                        Browser browser = new Browser()) {
                    String redirectUri =
                            mcpClient.await("redirect_uri").get("uri").asText();
                    AuthorizationCodeFlowIT.openConsentPage(browser, mcpClient, "alice", "alice-password");
                    assertEquals("Claude-like MCP client asks for access", browser.text("proxyme-title"));
                    assertTrue(
                            browser.text("proxyme-request").contains("Tools Portal"), browser.text("proxyme-request"));
                    assertTrue(browser.text("proxyme-return-to")
                            .contains(URI.create(redirectUri).getAuthority()));
                    browser.await(By.id("proxyme-approve")).click();

                    JsonNode authorized = mcpClient.await("authorized");
                    JsonNode claims = claims(authorized.get("access_token").asText());
                    assertEquals(
                            "portal-mcp", claims.get("aud").asText(), "the SDK asked for the resource it discovered");
                    assertEquals("read", claims.get("scope").asText(), "the scope the 401 named");
                    String delegationId = claims.get("delegation_id").asText();

                    assertEquals(
                            List.of("echo", "whoami"),
                            ProxymeClient.JSON.convertValue(
                                    mcpClient.await("tools").get("tools"), List.class));
                    JsonNode whoami = mcpClient.await("whoami");
                    assertEquals(
                            "alice", whoami.get("text").asText(), "the portal got the user's identity from the proxy");
                    assertFalse(whoami.get("is_error").asBoolean());
                    mcpClient.await("waiting");

                    browser.open(client.proxymeUri(REALM, "delegations").toString());
                    browser.await(By.id("proxyme-revoke-" + delegationId)).click();
                    browser.await(By.id("proxyme-message"));

                    mcpClient.send("next");
                    JsonNode refused = mcpClient.awaitError();
                    assertEquals(401, refused.get("mcp_status").asInt(), refused::toString);
                    JsonNode refresh = refused.get("refresh");
                    assertEquals(400, refresh.get("status").asInt(), refused::toString);
                    assertEquals("invalid_grant", refresh.get("error").asText());
                    assertEquals(1, mcpClient.exitCode());
                }
            }
        }
    }

    /** A portal client as an administrator makes one: confidential, marked, with its resource URI and route rules. */
    private void createPortal(String clientId, String name, String resource, String routes) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("clientId", clientId);
        rep.put("name", name);
        rep.put("enabled", true);
        rep.put("publicClient", false);
        rep.put("secret", clientId + "-secret");
        rep.put("standardFlowEnabled", false);
        rep.put("serviceAccountsEnabled", false);
        rep.put("attributes", Map.of("proxyme.portal", "true", "proxyme.resource", resource, "proxyme.routes", routes));
        Reply created = client.send(
                client.adminUri(REALM, "/clients"),
                "POST",
                "application/json",
                ProxymeClient.json(rep),
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
    }
}
