package dev.proxyme.cimd;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.CaddyProxy;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.DocumentServer;
import dev.proxyme.testsupport.DocumentServer.Answer;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.NginxProxy;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;
import dev.proxyme.testsupport.TestRealm;

import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static dev.proxyme.testsupport.ProxymeClient.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client ID Metadata Documents (CIMD, MCP authorization 2026-07-28): a client whose {@code client_id} is the https URL
 * of a document the realm allows becomes a public agent with that entry's scopes and portals; documents shaped like
 * the ones real clients publish are read; everything else is refused with one clear error. The documents are served
 * over https by the test's own server, whose certificate Keycloak trusts ({@code --truststore-paths}).
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientMetadataDocumentIT {

    private static final String POLICY = "proxyme-agent-documents";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String PORTAL = "portal-a";
    private static final String PORTAL_RESOURCE = "https://portal-a.example/";

    private final KeycloakServer server;
    private final ProxymeClient root;
    private TestRealm realm;
    private ProxymeClient client;
    private DocumentServer documents;

    ClientMetadataDocumentIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.root = client;
    }

    @BeforeAll
    void start() {
        realm = TestRealm.copyOfTheTestRealm(server, root, "cimd");
        client = realm.client();
        documents = new DocumentServer();
    }

    @AfterAll
    void stop() {
        documents.close();
        realm.close();
    }

    /** VS Code's shape: a native app with loopback redirects (any port) and an https one, logo and site elsewhere. */
    private String vscodeLike(String url) {
        return ProxymeClient.json(Map.of(
                "client_id", url,
                "client_name", "Visual Studio Code",
                "client_uri", "https://code.visualstudio.com/",
                "logo_uri", "https://code.visualstudio.com/assets/favicon.ico",
                "redirect_uris",
                        List.of(
                                "http://127.0.0.1/callback",
                                "http://localhost/callback",
                                "https://vscode.dev/redirect"),
                "grant_types", List.of("authorization_code", "refresh_token"),
                "response_types", List.of("code"),
                "token_endpoint_auth_method", "none",
                "application_type", "native"));
    }

    @Test
    void theMetadataIsAdvertisedAndTheRealmsPolicyIsThereForAnAdministratorToFill() {
        JsonNode metadata = client.get(
                        URI.create(server.baseUri() + "/.well-known/oauth-authorization-server/realms/" + realm.name()),
                        null)
                .json();
        assertTrue(metadata.path("client_id_metadata_document_supported").asBoolean(), metadata::toString);
        JsonNode profiles = client.get(
                        client.adminUri(realm.name(), "/client-policies/profiles"), bearer(client.rootToken()))
                .json();
        assertTrue(profiles.toString().contains(POLICY), profiles::toString);
    }

    /**
     * The MCP Python SDK with its default settings and a client metadata URL instead of a client id: discovery, the
     * document as its client id (the realm says it supports them), consent naming the client and the host that
     * vouches for it, a token for the portal, tools listed and called, a refresh, a step-up, the user's revocation.
     */
    @Test
    void thePythonSdkIdentifiedByItsDocumentBecomesAPublicAgentTheUserApproves() {
        String document = documents.url("/oauth/python-client.json");
        documents.serve(
                "/oauth/python-client.json",
                Answer.json(vscodeLike(document).replace("Visual Studio Code", "Python Desktop")));
        try (ClientProgram mcpServer = ClientProgram.mcpPython("mcp-server.py")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx =
                    new NginxProxy(server, realm.name(), "portal-cimd-mcp", mcpServerUrl.getAuthority())) {
                String resource = nginx.uri("/mcp").toString();
                client.createPortal("portal-cimd-mcp", "Documents MCP", resource);
                client.setPortalRoutes("portal-cimd-mcp", "POST /mcp write tools/call delete_report; * /mcp read");
                allow(List.of(document + " read,write portal-cimd-mcp"), true);

                try (ClientProgram mcpClient =
                                ClientProgram.mcpPython("mcp-client.py", resource, "--client-metadata-url", document);
                        Browser browser = new Browser()) {
                    mcpClient.await("redirect_uri");
                    approveAsAlice(browser, mcpClient.await("user_action"), document, "Python Desktop");

                    JsonNode claims = claims(
                            mcpClient.await("authorized").get("access_token").asText());
                    assertEquals(document, claims.get("azp").asText(), claims::toString);
                    assertEquals("portal-cimd-mcp", claims.get("aud").asText());
                    assertEquals("read", claims.get("scope").asText());
                    assertTrue(mcpClient.await("tools").get("tools").toString().contains("whoami"));
                    assertEquals("alice", mcpClient.await("whoami").get("text").asText());

                    mcpClient.await("waiting");
                    mcpClient.send("expire");
                    assertEquals("alice", mcpClient.await("whoami").get("text").asText());
                    JsonNode refreshed = mcpClient.await("refreshed");
                    assertEquals(200, refreshed.get("status").asInt(), refreshed::toString);
                    assertEquals(
                            claims.get("delegation_id").asText(),
                            claims(refreshed.get("access_token").asText())
                                    .get("delegation_id")
                                    .asText(),
                            "the refresh renews the same delegation");

                    // A tool reserved for write: the SDK asks again under its document's name, the user approves.
                    mcpClient.await("waiting");
                    mcpClient.send("step-up");
                    browser.open(mcpClient
                            .await("reauthorization_required")
                            .get("url")
                            .asText());
                    browser.await(By.id("proxyme-consent-form"));
                    assertTrue(browser.text("proxyme-vouched-by").contains("127.0.0.1"));
                    assertTrue(browser.has(By.cssSelector("#proxyme-scope-write.proxyme-scope-new")));
                    browser.await(By.id("proxyme-approve")).click();
                    JsonNode steppedUp = mcpClient.await("stepped_up");
                    assertEquals("deleted q3", steppedUp.get("text").asText(), steppedUp::toString);
                    String widerDelegationId = claims(
                                    steppedUp.get("access_token").asText())
                            .get("delegation_id")
                            .asText();

                    // The user revokes it as any delegation: the next call is refused and so is the refresh.
                    mcpClient.await("waiting");
                    revokeAsAlice(browser, widerDelegationId);
                    mcpClient.send("next");
                    mcpClient.await("reauthorization_required");
                    JsonNode refused = mcpClient.awaitError();
                    assertEquals(401, refused.get("mcp_status").asInt(), refused::toString);
                    assertEquals(
                            "invalid_grant", refused.get("refresh").get("error").asText(), refused::toString);
                }
                JsonNode agent = clientRep(document);
                assertTrue(agent.get("publicClient").asBoolean(), agent::toString);
                assertEquals(
                        "true", agent.get("attributes").get("proxyme.agent").asText());
            }
        }
    }

    /**
     * The TypeScript SDK (its provider's {@code clientMetadataUrl}) behind nginx, and mcp-remote
     * ({@code --client-metadata-url}) behind Caddy, each with a TypeScript SDK server: identified by their documents
     * alone, approved, their tools called.
     */
    @Test
    void theTypeScriptSdkAndMcpRemoteIdentifiedByTheirDocumentsReachTheirTools() {
        try (ClientProgram mcpServer = ClientProgram.node("mcp-server.mjs", "0")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx =
                            new NginxProxy(server, realm.name(), "portal-cimd-ts", mcpServerUrl.getAuthority());
                    CaddyProxy caddy =
                            new CaddyProxy(server, realm.name(), "portal-cimd-bridge", mcpServerUrl.getAuthority())) {
                client.createPortal(
                        "portal-cimd-ts", "TypeScript MCP", nginx.uri("/mcp").toString());
                client.setPortalRoutes("portal-cimd-ts", "* /mcp read");
                client.createPortal(
                        "portal-cimd-bridge", "Bridge MCP", caddy.uri("/mcp").toString());
                client.setPortalRoutes("portal-cimd-bridge", "* /mcp read");
                String tsDocument = documents.url("/ts/client.json");
                documents.serve(
                        "/ts/client.json",
                        Answer.json(vscodeLike(tsDocument).replace("Visual Studio Code", "TS Desktop")));
                String bridgeDocument = documents.url("/bridge/client.json");
                documents.serve(
                        "/bridge/client.json",
                        Answer.json(vscodeLike(bridgeDocument)
                                .replace("Visual Studio Code", "Bridge Desktop")
                                .replace("http://127.0.0.1/callback", "http://localhost/oauth/callback")));
                allow(List.of(tsDocument + " read portal-cimd-ts", bridgeDocument + " read portal-cimd-bridge"), true);

                try (ClientProgram ts = ClientProgram.node(
                                "mcp-client.mjs",
                                nginx.uri("/mcp").toString(),
                                "-",
                                "0",
                                "--client-metadata-url",
                                tsDocument);
                        Browser browser = new Browser()) {
                    ts.await("redirect_uri");
                    approveAsAlice(browser, ts.await("user_action"), tsDocument, "TS Desktop");
                    JsonNode claims =
                            claims(ts.await("authorized").get("access_token").asText());
                    assertEquals(tsDocument, claims.get("azp").asText());
                    assertEquals(
                            List.of("delete_report", "echo", "whoami"),
                            ProxymeClient.JSON.convertValue(ts.await("tools").get("tools"), List.class));
                    assertEquals("alice", ts.await("whoami").get("text").asText());

                    ts.await("waiting");
                    revokeAsAlice(browser, claims.get("delegation_id").asText());
                    ts.send("next");
                    JsonNode refused = ts.awaitError();
                    assertEquals(401, refused.get("mcp_status").asInt(), refused::toString);
                    assertEquals(
                            "invalid_grant", refused.get("refresh").get("error").asText(), refused::toString);
                }
                try (ClientProgram bridge = ClientProgram.node(
                                "mcp-remote-client.mjs",
                                caddy.uri("/mcp").toString(),
                                "--client-metadata-url",
                                bridgeDocument);
                        Browser browser = new Browser()) {
                    approveAsAlice(browser, bridge.await("user_action"), bridgeDocument, "Bridge Desktop");
                    JsonNode authorized = bridge.await("authorized");
                    JsonNode claims = claims(authorized.get("access_token").asText());
                    assertEquals(bridgeDocument, claims.get("azp").asText());
                    assertEquals("alice", bridge.await("whoami").get("text").asText());

                    bridge.await("waiting");
                    revokeAsAlice(browser, claims.get("delegation_id").asText());
                    bridge.send("next");
                    bridge.await("reauthorization_required");
                    Reply refresh = client.refreshAsPublicClient(
                            bridgeDocument, authorized.get("refresh_token").asText());
                    assertEquals(400, refresh.status(), refresh::toString);
                    assertEquals("invalid_grant", refresh.text("error"));
                }
            }
        }
    }

    private void revokeAsAlice(Browser browser, String delegationId) {
        browser.open(client.proxymeUri(realm.name(), "delegations").toString());
        browser.await(By.id("proxyme-revoke-" + delegationId)).click();
        browser.await(By.id("proxyme-message"));
    }

    private static void approveAsAlice(Browser browser, JsonNode userAction, String document, String name) {
        URI authorization = URI.create(userAction.get("url").asText());
        assertTrue(
                authorization.getRawQuery().contains("client_id=" + encode(document)),
                () -> "the client used its document as client id: " + authorization);
        browser.open(authorization.toString());
        browser.logInIfAsked("alice", "alice-password");
        browser.await(By.id("proxyme-consent-form"));
        assertEquals(name + " asks for access", browser.text("proxyme-title"));
        assertTrue(browser.text("proxyme-vouched-by").contains("127.0.0.1"), browser.text("proxyme-vouched-by"));
        assertTrue(browser.has(By.id("proxyme-scope-read")), "the allow list's scope");
        browser.await(By.id("proxyme-approve")).click();
    }

    /**
     * Documents as real clients publish them: ChatGPT's lists token_endpoint_auth_methods_supported (a property
     * Keycloak's own CIMD reading refuses), claude.ai's a jwt-bearer grant a public client cannot have; both become
     * public agents with the allow list's scopes, never the document's.
     */
    @Test
    void documentsShapedLikeRealClientsAreReadAndTheirOwnScopeGrantsNothing() {
        String chatgpt = documents.url("/chatgpt/client.json");
        documents.serve(
                "/chatgpt/client.json",
                Answer.json(ProxymeClient.json(Map.of(
                        "client_id",
                        chatgpt,
                        "client_name",
                        "ChatGPT",
                        "redirect_uris",
                        List.of("https://chatgpt.com/connector_platform_oauth_redirect", "http://127.0.0.1/callback"),
                        "grant_types",
                        List.of("authorization_code", "refresh_token"),
                        "response_types",
                        List.of("code"),
                        "token_endpoint_auth_method",
                        "none",
                        "token_endpoint_auth_methods_supported",
                        List.of("none"),
                        "scope",
                        "read write admin",
                        "logo_uri",
                        "https://cdn.openai.com/logo.png"))));
        String claude = documents.url("/claude/client.json");
        documents.serve(
                "/claude/client.json",
                Answer.json(ProxymeClient.json(Map.of(
                        "client_id",
                        claude,
                        "client_name",
                        "Claude",
                        "redirect_uris",
                        List.of("https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1/callback"),
                        "grant_types",
                        List.of("authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                        "response_types",
                        List.of("code"),
                        "token_endpoint_auth_method",
                        "none"))));
        allow(List.of(chatgpt + " read " + PORTAL, "https://" + documents.authority() + "/* read " + PORTAL), true);

        for (String document : List.of(chatgpt, claude)) {
            Reply login = authorize(document, "http://127.0.0.1:49152/callback");
            assertEquals(200, login.status(), () -> document + ": " + login);
            assertTrue(login.body().contains("kc-form-login"), () -> document + ": the login page, " + login.body());
            JsonNode agent = clientRep(document);
            assertTrue(agent.get("publicClient").asBoolean(), agent::toString);
            JsonNode optional = client.get(
                            client.adminUri(
                                    realm.name(), "/clients/" + agent.get("id").asText() + "/optional-client-scopes"),
                            bearer(client.rootToken()))
                    .json();
            assertTrue(optional.toString().contains("\"read\""), optional::toString);
            assertFalse(
                    optional.toString().contains("\"write\""),
                    () -> "the document's own scope grants nothing: " + optional);
            assertTrue(optional.toString().contains("offline_access"), optional::toString);
            Reply device = client.form(
                    URI.create(client.issuer(realm.name()) + "/protocol/openid-connect/auth/device"),
                    Map.of("client_id", document, "scope", "read"),
                    null);
            assertEquals(400, device.status(), () -> "no device grant under a document's name: " + device);
            assertEquals("unauthorized_client", device.text("error"), device::toString);
        }
    }

    /** Each refusal is Keycloak's error page with one clear reason, before anything is fetched or made. */
    @Test
    void everythingElseIsRefusedWithOneClearReasonAndNoClientIsMade() {
        String ok = vscodeLike(documents.url("/refused/ok.json"));

        String notAllowed = documents.url("/elsewhere/client.json");
        documents.serve("/elsewhere/client.json", Answer.json(vscodeLike(notAllowed)));
        allow(List.of(documents.url("/refused/ok.json") + " read " + PORTAL), true);
        assertRefused(notAllowed, "is not a client metadata document this realm allows", POLICY);
        assertEquals(0, documents.requests("/elsewhere/client.json"), "a document not allowed is never fetched");

        allow(List.of("https://" + documents.authority() + "/* read " + PORTAL), false);
        String privateHost = documents.url("/refused/ok.json");
        documents.serve("/refused/ok.json", Answer.json(ok));
        assertRefused(privateHost, "does not resolve to public addresses only");
        assertEquals(0, documents.requests("/refused/ok.json"), "a private address is never fetched");

        allow(List.of("https://" + documents.authority() + "/* read " + PORTAL), true);
        String redirected = documents.url("/refused/redirect.json");
        documents.serve("/refused/redirect.json", new Answer(302, Map.of("Location", privateHost), ""));
        assertRefused(redirected, "answered HTTP 302");

        String oversized = documents.url("/refused/big.json");
        documents.serve(
                "/refused/big.json",
                Answer.json(vscodeLike(oversized).replace("Visual Studio Code", "x".repeat(6000))));
        assertRefused(oversized, "could not be fetched or read");

        String notJson = documents.url("/refused/page.json");
        documents.serve(
                "/refused/page.json", new Answer(200, Map.of("Content-Type", "text/html"), "<html>hello</html>"));
        assertRefused(notJson, "could not be fetched or read");

        String otherId = documents.url("/refused/other-id.json");
        documents.serve("/refused/other-id.json", Answer.json(vscodeLike(documents.url("/refused/someone-else.json"))));
        assertRefused(otherId, "client_id is not the URL it was fetched from");

        String confidential = documents.url("/refused/confidential.json");
        documents.serve(
                "/refused/confidential.json",
                Answer.json(vscodeLike(confidential).replace("\"none\"", "\"client_secret_basic\"")));
        assertRefused(confidential, "public agent");

        String unlisted = documents.url("/refused/unlisted.json");
        documents.serve("/refused/unlisted.json", Answer.json(vscodeLike(unlisted)));
        Reply wrongRedirect = authorize(unlisted, "https://attacker.example/callback");
        assertEquals(400, wrongRedirect.status(), wrongRedirect::toString);
        assertTrue(
                wrongRedirect.body().contains("redirect_uri is not one the client metadata document lists"),
                wrongRedirect::body);
        assertFalse(exists(unlisted));

        String slow = documents.url("/refused/slow.json");
        documents.serve("/refused/slow.json", Answer.json(vscodeLike(slow)).slowly(java.time.Duration.ofMillis(100)));
        assertRefused(slow, "not answered within 2 s");

        String html =
                "https://" + documents.authority() + "/refused/<a href=\"https://evil.example/\">Sign in again</a>";
        Reply reflected = authorize(html, "http://127.0.0.1:49152/callback");
        assertEquals(400, reflected.status(), reflected::toString);
        assertFalse(
                reflected.body().contains("evil.example"), () -> "the client id is not echoed: " + reflected.body());

        String plainHttp = "http://" + documents.authority() + "/refused/ok.json";
        assertRefused(plainHttp, "is not a client metadata document this realm allows");
    }

    /** Client ids a fuzzer or an attacker sends: each a 400 error page, never a 5xx, no client made, none fetched. */
    @Test
    void hostileClientIdsAreRefusedWithA400AndNothingIsMade() {
        allow(List.of("https://" + documents.authority() + "/* read " + PORTAL), true);
        for (String clientId : List.of(
                "https://",
                "https:///x.json",
                "https://" + documents.authority(),
                "https://" + documents.authority() + "/" + "a".repeat(3_000) + ".json",
                "https://" + documents.authority() + "/%00.json",
                "https://" + documents.authority() + "/\u202e.json",
                "https://" + documents.authority() + "/a b.json",
                "https://" + documents.authority() + "/x.json#f",
                "https://" + documents.authority() + "/x.json?q=1",
                "https://user@" + documents.authority() + "/x.json",
                "https://" + documents.authority() + "/../x.json",
                "https://" + documents.authority() + "/a/%2e%2e/x.json",
                "https://[::1",
                "HTTPS://" + documents.authority() + "/x.json",
                "https://\u0000/x.json")) {
            Reply refused = authorize(clientId, "http://127.0.0.1:49152/callback");
            assertEquals(400, refused.status(), () -> clientId + ": " + refused);
            assertFalse(exists(clientId), () -> clientId + ": no client is made");
        }
        assertEquals(0, documents.requests("/x.json"), "none of them was fetched");
    }

    private void assertRefused(String clientId, String... reasons) {
        Reply refused = authorize(clientId, "http://127.0.0.1:49152/callback");
        assertEquals(400, refused.status(), () -> clientId + ": " + refused);
        for (String reason : reasons) {
            assertTrue(
                    refused.body().contains(reason),
                    () -> clientId + " should say '" + reason + "': " + refused.body());
        }
        assertFalse(exists(clientId), () -> clientId + ": no client is made");
    }

    private Reply authorize(String clientId, String redirectUri) {
        String query = "response_type=code&client_id=" + encode(clientId) + "&redirect_uri=" + encode(redirectUri)
                + "&scope=" + encode("read offline_access") + "&state=s1&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256&resource=" + encode(PORTAL_RESOURCE);
        return client.request(
                URI.create(client.issuer(realm.name()) + "/protocol/openid-connect/auth?" + query),
                "GET",
                null,
                null,
                Map.of("Accept", "text/html"));
    }

    /** Sets the allow list of the realm's Proxyme CIMD profile, as an administrator does in Client policies. */
    private void allow(List<String> entries, boolean privateAddresses) {
        URI profilesUri = client.adminUri(realm.name(), "/client-policies/profiles");
        ObjectNode profiles =
                (ObjectNode) client.get(profilesUri, bearer(client.rootToken())).json();
        for (JsonNode profile : profiles.get("profiles")) {
            if (POLICY.equals(profile.get("name").asText())) {
                ObjectNode configuration =
                        (ObjectNode) profile.get("executors").get(0).get("configuration");
                ArrayNode list = configuration.putArray("allowed-documents");
                entries.forEach(list::add);
                configuration.put("allow-private-addresses", privateAddresses);
            }
        }
        profiles.remove("globalProfiles");
        Reply updated =
                client.send(profilesUri, "PUT", "application/json", profiles.toString(), bearer(client.rootToken()));
        assertEquals(204, updated.status(), updated::toString);
    }

    private boolean exists(String clientId) {
        return client.findClient(clientId).isPresent();
    }

    private JsonNode clientRep(String clientId) {
        return client.findClient(clientId).orElseThrow(() -> new AssertionError("no client " + clientId));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
