package dev.proxyme.oauth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.CaddyProxy;
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
 * when the server asks for more, SDK 1.32.2 refreshes, which widens nothing; the user revokes on their page, and the
 * next call is refused and the SDK's refresh fails.
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
                String agentId = registerPublicMcpAgent(
                        "Claude-like MCP client", "portal-mcp", "http://127.0.0.1/callback", List.of("read", "write"));

                try (ClientProgram mcpClient = ClientProgram.node("mcp-client.mjs", resource, agentId, "0");
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

                    assertEquals(
                            List.of("delete_report", "echo", "whoami"),
                            ProxymeClient.JSON.convertValue(
                                    mcpClient.await("tools").get("tools"), List.class));
                    JsonNode whoami = mcpClient.await("whoami");
                    assertEquals(
                            "alice", whoami.get("text").asText(), "the portal got the user's identity from the proxy");
                    assertFalse(whoami.get("is_error").asBoolean());
                    // A tool the server reserves for write: on its 403 insufficient_scope SDK 1.32.2 refreshes (it has
                    // a refresh token) instead of asking the user, and a refresh never widens a grant (RFC 6749 §6).
                    mcpClient.await("waiting");
                    mcpClient.send("step-up");
                    JsonNode stepUp = mcpClient.await("step_up_failed");
                    assertEquals(403, stepUp.get("http_status").asInt(), stepUp::toString);
                    assertTrue(stepUp.get("error_description").asText().contains("upscoping"), stepUp::toString);
                    assertEquals(
                            "refresh_token",
                            stepUp.get("refresh").get("grant_type").asText(),
                            stepUp::toString);
                    JsonNode refreshed = claims(stepUp.get("access_token").asText());
                    assertEquals("read", refreshed.get("scope").asText(), "the refresh did not widen: " + refreshed);

                    mcpClient.await("waiting");
                    browser.open(client.proxymeUri(REALM, "delegations").toString());
                    browser.await(By.id("proxyme-revoke-"
                                    + refreshed.get("delegation_id").asText()))
                            .click();
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

    /**
     * The Python SDK as people run it: its OAuthClientProvider with default settings adds {@code offline_access} to the
     * scope the 401 names (the realm lists it) and {@code prompt=consent}; the agent gets the delegation it was
     * approved, an ordinary refresh token bounded by it, and no offline session. Its server, behind the shipped nginx
     * config, keeps the SDK's DNS-rebinding protection on: nginx passes the Host the client used, port included.
     */
    @Test
    void thePythonSdkWithItsDefaultsReachesAPythonServerBehindNginxRefreshesAndIsStoppedByRevocation() {
        try (ClientProgram mcpServer = ClientProgram.mcpPython("mcp-server.py")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx = new NginxProxy(server, REALM, "portal-mcp-py", mcpServerUrl.getAuthority())) {
                String resource = nginx.uri("/mcp").toString();
                createPortal(
                        "portal-mcp-py",
                        "Python Tools Portal",
                        resource,
                        "POST /mcp write tools/call delete_report; * /mcp read");
                String agentId = registerPublicMcpAgent(
                        "Python MCP client", "portal-mcp-py", "http://127.0.0.1/callback", List.of("read", "write"));

                try (ClientProgram mcpClient = ClientProgram.mcpPython("mcp-client.py", resource, agentId);
                        Browser browser = new Browser()) {
                    mcpClient.await("redirect_uri");
                    JsonNode action = mcpClient.await("user_action");
                    URI authorization = URI.create(action.get("url").asText());
                    assertTrue(
                            authorization.getRawQuery().contains("scope=read+offline_access"),
                            () -> "the SDK's default adds offline_access: " + authorization);
                    browser.open(authorization.toString());
                    browser.logInIfAsked("alice", "alice-password");
                    browser.await(By.id("proxyme-consent-form"));
                    assertEquals("Python MCP client asks for access", browser.text("proxyme-title"));
                    assertTrue(browser.has(By.id("proxyme-scope-read")));
                    assertFalse(
                            browser.text("proxyme-request")
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .contains("offline"),
                            "offline_access is no permission the user grants: " + browser.text("proxyme-request"));
                    browser.await(By.id("proxyme-approve")).click();

                    JsonNode authorized = mcpClient.await("authorized");
                    JsonNode claims = claims(authorized.get("access_token").asText());
                    assertEquals("portal-mcp-py", claims.get("aud").asText());
                    assertEquals("read", claims.get("scope").asText(), "the delegation, nothing offline");
                    String delegationId = claims.get("delegation_id").asText();
                    JsonNode refreshClaims =
                            claims(authorized.get("refresh_token").asText());
                    assertEquals("Refresh", refreshClaims.get("typ").asText(), refreshClaims::toString);
                    assertTrue(refreshClaims.hasNonNull("exp"), "an ordinary refresh token ends: " + refreshClaims);

                    assertEquals(
                            List.of("delete_report", "echo", "whoami"),
                            ProxymeClient.JSON.convertValue(
                                    mcpClient.await("tools").get("tools"), List.class));
                    JsonNode whoami = mcpClient.await("whoami");
                    assertEquals("alice", whoami.get("text").asText(), whoami::toString);
                    assertFalse(whoami.get("is_error").asBoolean());

                    mcpClient.await("waiting");
                    mcpClient.send("expire");
                    assertEquals("alice", mcpClient.await("whoami").get("text").asText());
                    JsonNode refreshed = mcpClient.await("refreshed");
                    assertEquals(200, refreshed.get("status").asInt(), refreshed::toString);
                    assertTrue(refreshed.get("changed").asBoolean(), refreshed::toString);
                    assertEquals(
                            delegationId,
                            claims(refreshed.get("access_token").asText())
                                    .get("delegation_id")
                                    .asText());
                    Reply offline = client.get(
                            client.adminUri(
                                    REALM,
                                    "/users/" + client.userId("alice") + "/offline-sessions/"
                                            + client.clientUuid(agentId)),
                            bearer(client.rootToken()));
                    assertEquals(0, offline.json().size(), () -> "no offline session: " + offline);

                    // A tool the rules reserve for write: the SDK steps up on the 403 by itself, the user approves.
                    mcpClient.await("waiting");
                    mcpClient.send("step-up");
                    browser.open(mcpClient
                            .await("reauthorization_required")
                            .get("url")
                            .asText());
                    browser.await(By.id("proxyme-consent-form"));
                    assertTrue(
                            browser.has(By.cssSelector("#proxyme-scope-write.proxyme-scope-new")),
                            "the step-up marks what is new");
                    browser.await(By.id("proxyme-approve")).click();
                    JsonNode steppedUp = mcpClient.await("stepped_up");
                    assertEquals("deleted q3", steppedUp.get("text").asText(), steppedUp::toString);
                    JsonNode wider = claims(steppedUp.get("access_token").asText());
                    assertEquals(
                            Set.of("read", "write"),
                            Set.of(wider.get("scope").asText().split(" ")),
                            wider::toString);
                    String widerDelegationId = wider.get("delegation_id").asText();

                    mcpClient.await("waiting");
                    browser.open(client.proxymeUri(REALM, "delegations").toString());
                    browser.await(By.id("proxyme-revoke-" + widerDelegationId)).click();
                    browser.await(By.id("proxyme-message"));

                    mcpClient.send("next");
                    mcpClient.await("reauthorization_required");
                    JsonNode refused = mcpClient.awaitError();
                    assertEquals(401, refused.get("mcp_status").asInt(), refused::toString);
                    assertEquals(400, refused.get("refresh").get("status").asInt(), refused::toString);
                    assertEquals(
                            "invalid_grant", refused.get("refresh").get("error").asText());
                    assertEquals(1, mcpClient.exitCode());
                }
            }
        }
    }

    /**
     * mcp-remote, the bridge desktop clients run for remote servers, with its defaults and a pre-registered client id:
     * it adds {@code offline_access} when the realm lists it and must get the delegation; here in front of a server
     * written with the TypeScript SDK behind the shipped Caddyfile, driven over stdio by the SDK's client as a desktop
     * application does. Once its token has expired it refreshes by itself; a tool the server reserves for a wider scope
     * makes it ask the user again for the union of the scopes. After the user revokes, mcp-remote asks for the user again, the token is dead at the proxy
     * and its refresh token at the token endpoint.
     */
    @Test
    void mcpRemoteWithItsDefaultsReachesATypeScriptServerBehindCaddyAndIsStoppedByRevocation() {
        try (ClientProgram mcpServer = ClientProgram.node("mcp-server.mjs", "0")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (CaddyProxy caddy = new CaddyProxy(server, REALM, "portal-mcp-remote", mcpServerUrl.getAuthority())) {
                String resource = caddy.uri("/mcp").toString();
                createPortal("portal-mcp-remote", "Bridge Tools Portal", resource, "* /mcp read");
                String agentId = registerPublicMcpAgent(
                        "Desktop client via mcp-remote",
                        "portal-mcp-remote",
                        "http://localhost/oauth/callback",
                        List.of("read", "write"));

                try (ClientProgram desktop = ClientProgram.node("mcp-remote-client.mjs", resource, agentId);
                        Browser browser = new Browser()) {
                    URI authorization =
                            URI.create(desktop.await("user_action").get("url").asText());
                    assertTrue(
                            authorization.getRawQuery().contains("offline_access"),
                            () -> "mcp-remote's default adds offline_access: " + authorization);
                    browser.open(authorization.toString());
                    browser.logInIfAsked("alice", "alice-password");
                    browser.await(By.id("proxyme-consent-form"));
                    assertEquals("Desktop client via mcp-remote asks for access", browser.text("proxyme-title"));
                    assertTrue(browser.has(By.id("proxyme-scope-read")));
                    browser.await(By.id("proxyme-approve")).click();

                    JsonNode authorized = desktop.await("authorized");
                    String accessToken = authorized.get("access_token").asText();
                    JsonNode claims = claims(accessToken);
                    assertEquals("portal-mcp-remote", claims.get("aud").asText());
                    assertEquals("read", claims.get("scope").asText());
                    assertEquals(
                            "Refresh",
                            claims(authorized.get("refresh_token").asText())
                                    .get("typ")
                                    .asText(),
                            "never an offline token");
                    String delegationId = claims.get("delegation_id").asText();

                    assertEquals(
                            List.of("delete_report", "echo", "whoami"),
                            ProxymeClient.JSON.convertValue(
                                    desktop.await("tools").get("tools"), List.class));
                    JsonNode whoami = desktop.await("whoami");
                    assertEquals("alice", whoami.get("text").asText(), whoami::toString);

                    desktop.await("waiting");
                    desktop.send("expire");
                    assertEquals("alice", desktop.await("whoami").get("text").asText());
                    JsonNode refreshed = desktop.await("refreshed");
                    assertTrue(refreshed.get("changed").asBoolean(), () -> "mcp-remote refreshed: " + refreshed);
                    String renewed = refreshed.get("access_token").asText();
                    assertEquals(
                            delegationId, claims(renewed).get("delegation_id").asText(), "the same delegation");

                    // A tool the server reserves for write (its own 403 insufficient_scope): mcp-remote asks again.
                    desktop.await("waiting");
                    desktop.send("step-up");
                    browser.open(
                            desktop.await("reauthorization_required").get("url").asText());
                    browser.await(By.id("proxyme-consent-form"));
                    assertTrue(
                            browser.has(By.cssSelector("#proxyme-scope-write.proxyme-scope-new")),
                            "the step-up marks what is new");
                    browser.await(By.id("proxyme-approve")).click();
                    JsonNode steppedUp = desktop.await("stepped_up");
                    assertEquals("deleted q3", steppedUp.get("text").asText(), steppedUp::toString);
                    String wider = steppedUp.get("access_token").asText();
                    assertEquals(
                            Set.of("read", "write"),
                            Set.of(claims(wider).get("scope").asText().split(" ")),
                            steppedUp::toString);
                    String widerDelegationId =
                            claims(wider).get("delegation_id").asText();
                    String widerRefresh = steppedUp.get("refresh_token").asText();

                    desktop.await("waiting");
                    browser.open(client.proxymeUri(REALM, "delegations").toString());
                    browser.await(By.id("proxyme-revoke-" + widerDelegationId)).click();
                    browser.await(By.id("proxyme-message"));

                    desktop.send("next");
                    desktop.await("reauthorization_required");
                    Reply check = client.request(
                            caddy.uri("/mcp"),
                            "POST",
                            "application/json",
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                            Map.of(
                                    "Authorization",
                                    "Bearer " + wider,
                                    "Accept",
                                    "application/json, text/event-stream"));
                    assertEquals(401, check.status(), check::toString);
                    Reply refresh = client.refreshAsPublicClient(agentId, widerRefresh);
                    assertEquals(400, refresh.status(), refresh::toString);
                    assertEquals("invalid_grant", refresh.text("error"));
                }
            }
        }
    }

    /**
     * Per-tool limits from MCP's own headers, through the shipped nginx config to a server written with the Python SDK
     * (which refuses a 2026-07-28 request whose Mcp-Method or Mcp-Name differs from its body): a rule gives one tool a
     * wider scope, an envelope allows one tool a number of times, and a request whose call the proxy cannot believe
     * (no headers, an older protocol version, headers twice) needs what every tool it may be needs.
     */
    @Test
    void aRuleOrAnEnvelopeNamingAToolIsEnforcedFromMcpsHeadersAndALyingHeaderIsRefusedByTheServer() {
        try (ClientProgram mcpServer = ClientProgram.mcpPython("mcp-server.py")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx = new NginxProxy(server, REALM, "portal-mcp-tools", mcpServerUrl.getAuthority())) {
                createPortal(
                        "portal-mcp-tools",
                        "Reports MCP",
                        nginx.uri("/mcp").toString(),
                        "POST /mcp write tools/call delete_report; * /mcp read");
                ProxymeClient.RegisteredAgent agent =
                        client.registerAgent(List.of("read", "write"), List.of("portal-mcp-tools"));
                String reader = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-mcp-tools")
                        .text("delegation_token");

                Reply whoami = mcpCall(nginx, reader, "2026-07-28", "whoami", "whoami");
                assertEquals(200, whoami.status(), whoami::toString);
                assertTrue(whoami.body().contains("\"alice\""), whoami::toString);

                Reply delete = mcpCall(nginx, reader, "2026-07-28", "delete_report", "delete_report");
                assertEquals(403, delete.status(), delete::toString);
                String challenge =
                        delete.headers().firstValue("WWW-Authenticate").orElse("");
                assertTrue(
                        challenge.contains("insufficient_scope") && challenge.contains("scope=\"read write\""),
                        challenge);

                Reply encoded =
                        mcpCall(nginx, reader, "2026-07-28", "=?base64?ZGVsZXRlX3JlcG9ydA==?=", "delete_report");
                assertEquals(403, encoded.status(), () -> "MCP's base64 form names the tool too: " + encoded);
                Reply encodedWhoami = mcpCall(nginx, reader, "2026-07-28", "=?base64?d2hvYW1p?=", "whoami");
                assertEquals(200, encodedWhoami.status(), encodedWhoami::toString);

                Reply lying = mcpCall(nginx, reader, "2026-07-28", "whoami", "delete_report");
                assertEquals(400, lying.status(), () -> "the proxy believed the header, the server did not: " + lying);
                assertTrue(lying.body().contains("-32020"), lying::toString);
                assertFalse(lying.body().contains("deleted"), lying::toString);

                for (String legacy : new String[] {"2025-06-18", "2025-11-25", null}) {
                    Reply unverified = mcpCall(nginx, reader, legacy, "whoami", "delete_report");
                    assertEquals(
                            403,
                            unverified.status(),
                            () -> legacy + ": a server of that version reads the body alone: " + unverified);
                }
                Reply twice = client.requestWithHeaders(
                        nginx.uri("/mcp"),
                        "POST",
                        List.of(
                                Map.entry("Authorization", bearer(reader)),
                                Map.entry("MCP-Protocol-Version", "2026-07-28"),
                                Map.entry("Mcp-Method", "tools/call"),
                                Map.entry("Mcp-Name", "whoami"),
                                Map.entry("Mcp-Name", "delete_report")));
                assertEquals(403, twice.status(), twice::toString);

                String writer = client.delegateAsBackend(
                                "alice", agent.clientId(), List.of("read", "write"), "portal-mcp-tools")
                        .text("delegation_token");
                Reply deleted = mcpCall(nginx, writer, "2026-07-28", "delete_report", "delete_report");
                assertEquals(200, deleted.status(), deleted::toString);
                assertTrue(deleted.body().contains("deleted q3"), deleted::toString);

                String enveloped = client.delegateAsBackend(
                                "alice",
                                agent.clientId(),
                                List.of("read"),
                                "portal-mcp-tools",
                                Map.of("budget", 2, "routes", List.of("POST /mcp tools/call whoami")))
                        .text("delegation_token");
                Reply echo = mcpCall(nginx, enveloped, "2026-07-28", "echo", "echo");
                assertEquals(403, echo.status(), () -> "another tool is outside the envelope: " + echo);
                Reply unknownCall = mcpCall(nginx, enveloped, "2025-06-18", "whoami", "whoami");
                assertEquals(403, unknownCall.status(), () -> "an allow list is never widened: " + unknownCall);
                for (int call = 1; call <= 2; call++) {
                    Reply allowed = mcpCall(nginx, enveloped, "2026-07-28", "whoami", "whoami");
                    assertEquals(200, allowed.status(), allowed::toString);
                }
                Reply spent = mcpCall(nginx, enveloped, "2026-07-28", "whoami", "whoami");
                assertEquals(403, spent.status(), () -> "the budget of two is spent: " + spent);
                JsonNode activity = client.introspect(enveloped, "portal-mcp-tools", "portal-mcp-tools-secret");
                assertEquals(2, activity.get("envelope").get("used").asInt(), activity::toString);
            }
        }
    }

    /**
     * A {@code tools/call} as an MCP client sends it: the headers name {@code headerTool}, the body calls
     * {@code bodyTool}; a 2026-07-28 request carries its protocol version in the body too.
     */
    private Reply mcpCall(NginxProxy nginx, String token, String protocolVersion, String headerTool, String bodyTool) {
        String meta = protocolVersion == null || !protocolVersion.equals("2026-07-28")
                ? ""
                : ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                        + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
        String arguments = bodyTool.equals("delete_report")
                ? "{\"name\":\"q3\"}"
                : bodyTool.equals("echo") ? "{\"text\":\"hi\"}" : "{}";
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + bodyTool
                + "\",\"arguments\":" + arguments + meta + "}}";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", bearer(token));
        headers.put("Accept", "application/json, text/event-stream");
        headers.put("Mcp-Method", "tools/call");
        headers.put("Mcp-Name", headerTool);
        if (protocolVersion != null) {
            headers.put("MCP-Protocol-Version", protocolVersion);
        }
        return client.request(nginx.uri("/mcp"), "POST", "application/json", body, headers);
    }

    /**
     * A client that can only register itself (RFC 7591), as the Python SDK does without a client id or a metadata
     * document: the realm's metadata sends it to Proxyme's registration endpoint, which tells it the two ways in, in
     * OAuth's error shape; the SDK shows it.
     */
    @Test
    void aClientThatCanOnlyRegisterItselfIsToldTheTwoWaysIn() {
        JsonNode metadata = client.get(
                        URI.create(server.baseUri() + "/.well-known/oauth-authorization-server/realms/" + REALM), null)
                .json();
        String registration = metadata.get("registration_endpoint").asText();
        assertEquals(client.issuer(REALM) + "/proxyme/clients", registration, metadata::toString);
        assertEquals(
                registration,
                client.get(URI.create(client.issuer(REALM) + "/.well-known/openid-configuration"), null)
                        .json()
                        .get("registration_endpoint")
                        .asText(),
                "OpenID Connect Discovery says the same");
        Reply refused = client.send(
                URI.create(registration),
                "POST",
                "application/json",
                "{\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"client_name\":\"Cursor-like\"}");
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("access_denied", refused.text("error"));
        assertTrue(refused.text("error_description").contains("pre-registration"), refused::toString);
        assertTrue(refused.text("error_description").contains("Client ID Metadata Document"), refused::toString);

        try (ClientProgram mcpServer = ClientProgram.mcpPython("mcp-server.py")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx = new NginxProxy(server, REALM, "portal-mcp-dcr", mcpServerUrl.getAuthority())) {
                String resource = nginx.uri("/mcp").toString();
                createPortal("portal-mcp-dcr", "Registration Portal", resource, "* /mcp read");
                try (ClientProgram mcpClient = ClientProgram.mcpPython("mcp-client.py", resource)) {
                    JsonNode error = mcpClient.awaitError();
                    assertTrue(
                            error.get("error_description")
                                    .asText()
                                    .contains("does not let clients register themselves"),
                            error::toString);
                    assertEquals(1, mcpClient.exitCode());
                }
            }
        }
    }

    private String registerPublicMcpAgent(String name, String portal) {
        return registerPublicMcpAgent(name, portal, "http://127.0.0.1/callback");
    }

    /** A desktop MCP client's agent: public, loopback redirect on any port (RFC 8252), scope read of one portal. */
    private String registerPublicMcpAgent(String name, String portal, String redirectUri) {
        return registerPublicMcpAgent(name, portal, redirectUri, List.of("read"));
    }

    private String registerPublicMcpAgent(String name, String portal, String redirectUri, List<String> scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        body.put("portals", List.of(portal));
        body.put("redirect_uris", List.of(redirectUri));
        body.put("token_endpoint_auth_method", "none");
        Reply agent = client.registerAgent(body);
        assertEquals(201, agent.status(), agent::toString);
        return agent.text("client_id");
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
