package dev.proxyme.oauth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.EchoPortal;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.NginxProxy;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.oauth.AuthorizationCodeFlowIT.PORTAL_A;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static dev.proxyme.testsupport.ProxymeClient.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A headless agent on openid-client (npm, unmodified) runs the device authorization grant (RFC 8628) from the realm's
 * discovery document; the user approves on Proxyme's page in a real Chromium; the agent's poll yields a delegation
 * token. A client that is not an agent keeps Keycloak's own device flow.
 */
@ExtendWith(KeycloakServerExtension.class)
class DeviceGrantIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    DeviceGrantIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    private ClientProgram openidClient(String clientId, String... more) {
        List<String> arguments = new ArrayList<>(List.of(client.issuer(REALM), clientId));
        arguments.addAll(List.of(more));
        return ClientProgram.node("device-grant.mjs", arguments.toArray(String[]::new));
    }

    private Reply registerAgent(String name, String authMethod) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", List.of("read", "write"));
        body.put("portals", List.of("portal-a", "portal-b"));
        if (authMethod != null) {
            body.put("token_endpoint_auth_method", authMethod);
        }
        Reply reply = client.registerAgent(body);
        assertEquals(201, reply.status(), reply::toString);
        assertTrue(
                reply.json().get("grant_types").toString().contains("urn:ietf:params:oauth:grant-type:device_code"),
                reply::toString);
        return reply;
    }

    @Test
    void aConfidentialAgentGetsADelegationThroughTheDeviceGrant() {
        Reply agent = registerAgent("Calendar Sync", null);
        String agentId = agent.text("client_id");
        try (ClientProgram device = openidClient(
                        agentId,
                        "--client-secret",
                        agent.text("client_secret"),
                        "--scope",
                        "write",
                        "--resource",
                        PORTAL_A,
                        "--purpose",
                        "Sync the <b>calendar</b> each night");
                Browser browser = new Browser()) {
            JsonNode action = device.await("user_action");
            assertTrue(action.get("url").asText().startsWith(client.issuer(REALM) + "/device"), action::toString);
            browser.open(action.get("url").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-consent-form"));
            assertEquals("Calendar Sync asks for access", browser.text("proxyme-title"));
            assertEquals("Sync the <b>calendar</b> each night", browser.text("proxyme-purpose"), "shown as text");
            assertTrue(browser.has(By.cssSelector("#proxyme-return-to.proxyme-return-device")));
            assertTrue(browser.has(By.id("proxyme-scope-write")));
            browser.await(By.id("proxyme-approve")).click();

            // The flow ends on Proxyme's result page, not on Keycloak's "Device Login Successful" (nor a second
            // consent).
            assertTrue(
                    browser.await(By.id("proxyme-result")).getAttribute("class").contains("proxyme-result-approved"),
                    () -> browser.driver().getCurrentUrl() + ": "
                            + browser.driver().getPageSource());
            assertTrue(browser.text("proxyme-result").contains("Go back to it"), () -> browser.text("proxyme-result"));
            assertEquals("Calendar Sync", browser.text("proxyme-result-agent"));
            assertTrue(browser.has(By.cssSelector("#proxyme-result-until time")));
            assertTrue(browser.await(By.id("proxyme-manage-access"))
                    .getAttribute("href")
                    .endsWith("/realms/" + REALM + "/proxyme/delegations"));
            assertFalse(browser.driver().getPageSource().contains("Device Login Successful"));
            JsonNode tokens = device.await("tokens");
            JsonNode claims = claims(tokens.get("access_token").asText());
            assertEquals(client.userId("alice"), claims.get("sub").asText());
            assertEquals(agentId, claims.get("azp").asText());
            assertEquals("portal-a", claims.get("aud").asText());
            assertEquals("write", claims.get("scope").asText());
            String delegationId = claims.get("delegation_id").asText();
            assertTrue(client.isActive(tokens.get("access_token").asText()));

            JsonNode refreshed =
                    claims(device.await("refreshed").get("access_token").asText());
            assertEquals(delegationId, refreshed.get("delegation_id").asText());
            assertEquals(0, device.exitCode());

            JsonNode delegation = client.trail(delegationId).get("delegation");
            assertEquals("device_code", delegation.get("grant_flow").asText(), delegation::toString);
            assertEquals(
                    "Sync the <b>calendar</b> each night",
                    delegation.get("purpose").asText());
            assertEquals("portal-a", delegation.get("portal").asText());
        }
    }

    /** The device grant as the code flow: offline_access asked for or none named, an ordinary refresh token. */
    @Test
    void aDeviceThatAsksForOfflineAccessOrNoScopeGetsTheDelegationOnly() {
        Reply agent = registerAgent("Offline Device", null);
        String agentId = agent.text("client_id");
        for (List<String> scope : List.of(List.of("--scope", "write offline_access"), List.<String>of())) {
            List<String> arguments =
                    new ArrayList<>(List.of("--client-secret", agent.text("client_secret"), "--resource", PORTAL_A));
            arguments.addAll(scope);
            try (ClientProgram device = openidClient(agentId, arguments.toArray(String[]::new));
                    Browser browser = new Browser()) {
                browser.open(device.await("user_action").get("url").asText());
                browser.logInIfAsked("alice", "alice-password");
                browser.await(By.id("proxyme-consent-form"));
                assertTrue(browser.has(By.id("proxyme-scope-write")), scope::toString);
                assertFalse(browser.has(By.id("proxyme-scope-offline_access")), scope::toString);
                browser.await(By.id("proxyme-approve")).click();
                JsonNode tokens = device.await("tokens");
                assertEquals(
                        scope.isEmpty() ? Set.of("read", "write") : Set.of("write"),
                        Set.of(claims(tokens.get("access_token").asText())
                                .get("scope")
                                .asText()
                                .split(" ")),
                        () -> scope + ": none named is the agent's registered scopes");
                JsonNode refresh = claims(tokens.get("refresh_token").asText());
                assertEquals("Refresh", refresh.get("typ").asText(), () -> scope + ": " + refresh);
                Reply offline = client.get(
                        client.adminUri(
                                REALM,
                                "/users/" + client.userId("alice") + "/offline-sessions/" + client.clientUuid(agentId)),
                        bearer(client.rootToken()));
                assertEquals(0, offline.json().size(), () -> scope + ": no offline session: " + offline);
            }
        }
    }

    /**
     * An agent an administrator imported (partial import, not register_agent) with offline_access among its default
     * client scopes, which Keycloak adds to every token request: still no offline session under a delegation.
     */
    @Test
    void anImportedAgentWithOfflineAccessAsADefaultScopeMakesNoOfflineSession() {
        String agentId = "imported-agent-" + Long.toString(System.nanoTime(), 36);
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("clientId", agentId);
        agent.put("name", "Imported Agent");
        agent.put("publicClient", false);
        agent.put("secret", agentId + "-secret");
        agent.put("serviceAccountsEnabled", true);
        agent.put("standardFlowEnabled", false);
        agent.put("fullScopeAllowed", false);
        agent.put("defaultClientScopes", List.of("basic", "offline_access"));
        agent.put("optionalClientScopes", List.of("read"));
        agent.put(
                "attributes",
                Map.of(
                        "proxyme.agent", "true",
                        "proxyme.portals", "portal-a",
                        "oauth2.device.authorization.grant.enabled", "true"));
        Reply imported = client.send(
                client.adminUri(REALM, "/partialImport"),
                "POST",
                "application/json",
                ProxymeClient.json(Map.of("ifResourceExists", "FAIL", "clients", List.of(agent))),
                bearer(client.rootToken()));
        assertEquals(200, imported.status(), imported::toString);
        try (ClientProgram device = openidClient(
                        agentId, "--client-secret", agentId + "-secret", "--scope", "read", "--resource", PORTAL_A);
                Browser browser = new Browser()) {
            browser.open(device.await("user_action").get("url").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-consent-form"));
            assertFalse(browser.has(By.id("proxyme-scope-offline_access")));
            browser.await(By.id("proxyme-approve")).click();
            JsonNode tokens = device.await("tokens");
            JsonNode refresh = claims(tokens.get("refresh_token").asText());
            assertEquals("Refresh", refresh.get("typ").asText(), refresh::toString);
            assertFalse(tokens.path("scope").asText().contains("offline_access"), tokens::toString);
            Reply offline = client.get(
                    client.adminUri(
                            REALM,
                            "/users/" + client.userId("alice") + "/offline-sessions/" + client.clientUuid(agentId)),
                    bearer(client.rootToken()));
            assertEquals(0, offline.json().size(), () -> "no offline session: " + offline);
        } finally {
            client.deleteClient(agentId);
        }
    }

    @Test
    void aPublicAgentWithoutAResourceGetsItsOnlyPortalAndTheUserMayDeny() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "CLI Agent");
        body.put("scopes", List.of("read"));
        body.put("portals", List.of("portal-b"));
        body.put("token_endpoint_auth_method", "none");
        Reply registered = client.registerAgent(body);
        assertEquals(201, registered.status(), registered::toString);
        assertFalse(registered.json().has("client_secret"), "a public agent has no secret");
        String agentId = registered.text("client_id");
        try (Browser browser = new Browser()) {
            try (ClientProgram device = openidClient(agentId, "--scope", "read", "--no-refresh")) {
                browser.open(device.await("user_action").get("url").asText());
                browser.logInIfAsked("bob", "bob-password");
                browser.await(By.id("proxyme-approve")).click();
                JsonNode claims =
                        claims(device.await("tokens").get("access_token").asText());
                assertEquals("portal-b", claims.get("aud").asText());
                assertEquals(agentId, claims.get("act").get("sub").asText());
            }
            try (ClientProgram device = openidClient(agentId, "--scope", "read", "--no-refresh")) {
                browser.open(device.await("user_action").get("url").asText());
                browser.logInIfAsked("bob", "bob-password");
                browser.await(By.id("proxyme-deny")).click();
                assertEquals("access_denied", device.awaitError().get("error").asText());
            }
        }
    }

    /**
     * A required action ordered after Proxyme's (setting up an authenticator, here) still runs in the device flow: the
     * device gets nothing and Keycloak makes no login session until the user has set it up.
     */
    @Test
    void everyRequiredActionOrderedAfterProxymesRunsBeforeTheDeviceGetsAToken() {
        Reply agent = registerAgent("Night Sync", "none");
        String username = "totp-" + System.nanoTime();
        String userId = client.createUserWithPassword(username, "totp-password");
        JsonNode totp = client.requiredAction("CONFIGURE_TOTP");
        int proxymes =
                client.requiredAction("proxyme-agent-consent").get("priority").asInt();
        client.setRequiredActionPriority("CONFIGURE_TOTP", proxymes + 5);
        client.setUserRequiredActions(userId, List.of("CONFIGURE_TOTP"));
        try (ClientProgram device = openidClient(
                        agent.text("client_id"), "--scope", "read", "--resource", PORTAL_A, "--no-refresh");
                Browser browser = new Browser()) {
            browser.open(device.await("user_action").get("url").asText());
            browser.logInIfAsked(username, "totp-password");
            browser.await(By.id("proxyme-approve")).click();

            browser.await(By.id("kc-totp-settings-form"));
            assertFalse(device.hasEvent("tokens"), "nothing is granted before the authenticator is set up");
            assertEquals(0, client.userSessions(userId).size(), "no login session yet");
            browser.setUpTotp();
            JsonNode claims = claims(device.await("tokens").get("access_token").asText());
            assertEquals(userId, claims.get("sub").asText());
            assertTrue(client.credentialTypes(userId).contains("otp"), "the authenticator was set up first");
        } finally {
            client.setRequiredActionPriority(
                    "CONFIGURE_TOTP", totp.get("priority").asInt());
        }
    }

    @Test
    void aDeviceRequestForAnUnknownResourceIsRefusedAtOnce() {
        Reply agent = registerAgent("Wandering Agent", null);
        try (ClientProgram device = openidClient(
                agent.text("client_id"),
                "--client-secret",
                agent.text("client_secret"),
                "--scope",
                "read",
                "--resource",
                "https://unknown.example/")) {
            JsonNode error = device.awaitError();
            assertEquals("invalid_target", error.get("error").asText(), error::toString);
        }
        try (ClientProgram device = openidClient(
                agent.text("client_id"),
                "--client-secret",
                agent.text("client_secret"),
                "--scope",
                "read",
                "--resource",
                PORTAL_A,
                "--purpose",
                "x".repeat(201))) {
            assertEquals("invalid_request", device.awaitError().get("error").asText());
        }
    }

    /**
     * openid-client's own DPoP support (RFC 9449): its tokens are bound to its key, its calls through the shipped nginx
     * config carry proofs and pass; the same token without the key is refused.
     */
    @Test
    void aDpopBoundDelegationFromOpenidClientPassesTheProxyOnlyWithItsProofs() {
        Reply agent = registerAgent("Bound Agent", null);
        try (EchoPortal portal = new EchoPortal();
                NginxProxy nginx = new NginxProxy(server, REALM, "portal-a", portal.hostAndPort());
                ClientProgram device = openidClient(
                        agent.text("client_id"),
                        "--client-secret",
                        agent.text("client_secret"),
                        "--scope",
                        "read",
                        "--resource",
                        PORTAL_A,
                        "--dpop",
                        "--call",
                        nginx.uri("/reports/1").toString());
                Browser browser = new Browser()) {
            // The portal as it is served here: a proof's htu names the origin, which must be the portal's own.
            client.setClientAttribute("portal-a", "proxyme.resource", PORTAL_A + " " + nginx.uri("/"));
            browser.open(device.await("user_action").get("url").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            JsonNode tokens = device.await("tokens");
            assertTrue("DPoP".equalsIgnoreCase(tokens.get("token_type").asText()), tokens::toString);
            JsonNode claims = claims(tokens.get("access_token").asText());
            assertTrue(claims.path("cnf").has("jkt"), claims::toString);
            JsonNode refreshed = device.await("refreshed");
            assertEquals(
                    claims.get("cnf"),
                    claims(refreshed.get("access_token").asText()).get("cnf"),
                    "the same key throughout");
            JsonNode called = device.await("resource");
            assertEquals(200, called.get("status").asInt(), called::toString);
            assertTrue(called.get("body").asText().contains("\"x-proxyme-username\":\"alice\""), called::toString);

            Reply stolen = client.request(
                    nginx.uri("/reports/1"),
                    "GET",
                    null,
                    null,
                    java.util.Map.of(
                            "Authorization",
                            "DPoP " + refreshed.get("access_token").asText()));
            assertEquals(401, stolen.status(), () -> "a bound token without its key's proof: " + stolen);
            Reply asBearer = client.request(
                    nginx.uri("/reports/1"),
                    "GET",
                    null,
                    null,
                    java.util.Map.of(
                            "Authorization",
                            ProxymeClient.bearer(refreshed.get("access_token").asText())));
            assertEquals(401, asBearer.status(), asBearer::toString);
            String delegationId = claims.get("delegation_id").asText();
            assertEquals(
                    claims.get("cnf").get("jkt").asText(),
                    client.trail(delegationId).get("delegation").get("dpop_jkt").asText());
        } finally {
            client.setClientAttribute("portal-a", "proxyme.resource", PORTAL_A);
        }
    }

    /** Proxyme leaves clients that are not agents alone: Keycloak's own grant page, Keycloak's own tokens. */
    @Test
    void aClientThatIsNotAnAgentKeepsKeycloaksDeviceFlow() {
        try (ClientProgram device = openidClient("device-app", "--scope", "profile", "--no-refresh");
                Browser browser = new Browser()) {
            browser.open(device.await("user_action").get("url").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("kc-oauth"));
            assertFalse(browser.has(By.id("proxyme-page")));
            browser.await(By.id("kc-login")).click();
            JsonNode claims = claims(device.await("tokens").get("access_token").asText());
            assertEquals("device-app", claims.get("azp").asText());
            assertFalse(claims.has("delegation_id"), claims::toString);
        }
    }
}
