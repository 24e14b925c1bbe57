package dev.proxyme.oauth;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static dev.proxyme.testsupport.ProxymeClient.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent built on a stock OAuth library (Debian's python3-authlib, unmodified) gets a delegation through Keycloak's
 * own endpoints: authorization code with PKCE S256 and a resource indicator, the user logging in and approving in
 * a real Chromium, the code exchange, refresh and RFC 7009 revocation.
 */
@ExtendWith(KeycloakServerExtension.class)
class AuthorizationCodeFlowIT {

    static final String PORTAL_A = "https://portal-a.example/";

    private final ProxymeClient client;

    AuthorizationCodeFlowIT(ProxymeClient client) {
        this.client = client;
    }

    /** A public agent (no secret: a desktop or command-line program) with a loopback redirect, RFC 8252 style. */
    static Reply registerPublicAgent(ProxymeClient client, String name, List<String> scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        body.put("portals", List.of("portal-a"));
        body.put("redirect_uris", List.of("http://127.0.0.1/callback"));
        body.put("token_endpoint_auth_method", "none");
        Reply reply = client.registerAgent(body);
        assertEquals(201, reply.status(), reply::toString);
        return reply;
    }

    private ClientProgram authlib(String agentClientId, String... more) {
        List<String> arguments = new ArrayList<>(List.of(client.issuer(REALM), agentClientId));
        arguments.addAll(List.of(more));
        return ClientProgram.python("auth-code.py", arguments.toArray(String[]::new));
    }

    /** Opens the authorization URL the agent printed, logs in if Keycloak asks, and waits for Proxyme's consent page. */
    static void openConsentPage(Browser browser, ClientProgram agent, String username, String password) {
        browser.open(agent.await("user_action").get("url").asText());
        browser.logInIfAsked(username, password);
        browser.await(By.id("proxyme-consent-form"));
    }

    @Test
    void aPublicAgentOnAuthlibGetsADelegationTokenRefreshesAndRevokesIt() {
        String agentId = registerPublicAgent(client, "Desktop Assistant", List.of("read", "write"))
                .text("client_id");
        try (ClientProgram agent = authlib(
                        agentId,
                        "--scope",
                        "read",
                        "--resource",
                        PORTAL_A,
                        "--pause-before-revoke",
                        "--verify-revocation");
                Browser browser = new Browser()) {
            String redirectUri = agent.await("redirect_uri").get("uri").asText();
            openConsentPage(browser, agent, "alice", "alice-password");
            assertEquals("Desktop Assistant asks for access", browser.text("proxyme-title"));
            assertTrue(browser.text("proxyme-request").contains("Portal A"), browser.text("proxyme-request"));
            assertEquals("Read your data in the portal", browser.text("proxyme-scope-read"));
            assertFalse(browser.has(By.id("proxyme-scope-write")), "only what was asked for");
            assertTrue(browser.text("proxyme-duration").contains("1 hour"), browser.text("proxyme-duration"));
            String returnTo = browser.text("proxyme-return-to");
            assertTrue(
                    returnTo.contains(URI.create(redirectUri).getAuthority())
                            && returnTo.contains("program on this computer"),
                    "the page names the loopback redirect as such: " + returnTo);
            browser.await(By.id("proxyme-approve")).click();

            JsonNode tokens = agent.await("tokens");
            assertEquals("Bearer", tokens.get("token_type").asText());
            assertEquals("read", tokens.get("scope").asText());
            String accessToken = tokens.get("access_token").asText();
            JsonNode claims = claims(accessToken);
            assertEquals(client.userId("alice"), claims.get("sub").asText());
            assertEquals(agentId, claims.get("azp").asText());
            assertEquals(agentId, claims.get("act").get("sub").asText(), "a public agent is named by its client id");
            assertEquals("portal-a", claims.get("aud").asText(), "the portal is the only audience");
            assertEquals("read", claims.get("scope").asText());
            assertFalse(claims.has("realm_access") || claims.has("resource_access"), "no roles of the user");
            assertTrue(claims.get("exp").asLong() - claims.get("iat").asLong() <= 300, claims::toString);
            String delegationId = claims.get("delegation_id").asText();

            JsonNode introspection = client.introspect(accessToken, "portal-a", "portal-a-secret");
            assertTrue(introspection.get("active").asBoolean(), introspection::toString);
            assertEquals(delegationId, introspection.get("delegation_id").asText());
            assertEquals(agentId, introspection.get("act").get("sub").asText());
            assertFalse(
                    client.introspect(accessToken, "portal-b", "portal-b-secret")
                            .get("active")
                            .asBoolean(),
                    "another portal cannot use it");
            assertEquals(200, client.proxyCheck(accessToken).status(), "the proxy lets it through");

            JsonNode refreshed = agent.await("refreshed");
            assertNotEquals(
                    tokens.get("refresh_token").asText(),
                    refreshed.get("refresh_token").asText(),
                    "rotated");
            assertEquals(
                    delegationId,
                    claims(refreshed.get("access_token").asText())
                            .get("delegation_id")
                            .asText(),
                    "a refresh stays inside the delegation");

            agent.await("waiting");
            JsonNode mine = client.myDelegations("alice", "alice-password").get("active");
            JsonNode listed = find(mine, delegationId);
            assertEquals("authorization_code", listed.get("grant_flow").asText());
            assertEquals(List.of("read"), List.of(listed.get("scopes").get(0).asText()));
            JsonNode trail = client.trail(delegationId);
            assertEquals("ACTIVE", trail.get("delegation").get("status").asText(), trail::toString);

            agent.send("revoke");
            assertEquals(200, agent.await("revoked").get("status").asInt());
            assertEquals(
                    "invalid_grant",
                    agent.await("refresh_after_revocation").get("error").asText());
            assertEquals(0, agent.exitCode());
            assertFalse(client.isActive(refreshed.get("access_token").asText()), "revoking the grant ends its tokens");
            assertEquals(
                    401,
                    client.proxyCheck(refreshed.get("access_token").asText()).status());
            JsonNode ended = client.trail(delegationId).get("delegation");
            assertEquals("REVOKED", ended.get("status").asText());
            assertEquals("revoked_by_agent", ended.get("end_reason").asText());
        }
    }

    @Test
    void aConfidentialAgentAuthenticatesAtTheTokenEndpointWithItsSecret() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Web Agent");
        body.put("scopes", List.of("read"));
        body.put("portals", List.of("portal-a"));
        body.put("redirect_uris", List.of("http://127.0.0.1/callback"));
        Reply registered = client.registerAgent(body);
        assertEquals(201, registered.status(), registered::toString);
        assertEquals("client_secret_basic", registered.text("token_endpoint_auth_method"));
        String agentId = registered.text("client_id");
        try (ClientProgram agent = authlib(
                        agentId,
                        "--client-secret",
                        registered.text("client_secret"),
                        "--scope",
                        "read",
                        "--resource",
                        PORTAL_A);
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            JsonNode claims = claims(agent.await("tokens").get("access_token").asText());
            assertEquals(agentId, claims.get("azp").asText());
            assertNotEquals(
                    agentId, claims.get("act").get("sub").asText(), "a confidential agent acts as its service account");
            assertEquals("portal-a", claims.get("aud").asText());
            agent.await("refreshed");
            assertEquals(200, agent.await("revoked").get("status").asInt());
        }
    }

    /** An envelope proposed with the authorization request: shown, narrowed by the user, enforced, introspected. */
    @Test
    void anEnvelopeProposedInTheAuthorizationRequestIsWhatTheUserApproves() {
        String agentId =
                registerPublicAgent(client, "Budgeted Agent", List.of("read")).text("client_id");
        try (ClientProgram agent = authlib(
                        agentId,
                        "--scope",
                        "read",
                        "--resource",
                        PORTAL_A,
                        "--envelope",
                        "{\"budget\":10,\"routes\":[\"GET /reports/*\"]}",
                        "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            assertEquals("10", browser.await(By.id("proxyme-envelope-budget")).getAttribute("value"));
            browser.await(By.id("proxyme-envelope-budget")).clear();
            browser.await(By.id("proxyme-envelope-budget")).sendKeys("4");
            browser.await(By.id("proxyme-approve")).click();
            String token = agent.await("tokens").get("access_token").asText();
            JsonNode envelope =
                    client.introspect(token, "portal-a", "portal-a-secret").get("envelope");
            assertEquals(4, envelope.get("budget").asInt(), envelope::toString);
            assertEquals(0, envelope.get("used").asInt());
            assertEquals("GET /reports/*", envelope.get("routes").get(0).asText());
            agent.await("refreshed");
            agent.await("waiting");
        }
        try (ClientProgram agent =
                        authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--envelope", "{\"budget\":0}");
                Browser browser = new Browser()) {
            browser.open(agent.await("user_action").get("url").asText());
            assertEquals(
                    "invalid_request", agent.awaitError().get("error").asText(), "a budget of 0 is refused at once");
        }
    }

    /** The user unchecks a scope: authlib's token carries only what stayed checked (RFC 6749 section 3.3). */
    @Test
    void theUserApprovesLessThanTheAgentAsksFor() {
        String agentId = registerPublicAgent(client, "Eager Agent", List.of("read", "write"))
                .text("client_id");
        try (ClientProgram agent =
                        authlib(agentId, "--scope", "read write", "--resource", PORTAL_A, "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-scope-check-write")).click();
            browser.await(By.id("proxyme-approve")).click();
            JsonNode tokens = agent.await("tokens");
            assertEquals("read", tokens.get("scope").asText(), tokens::toString);
            JsonNode introspected =
                    client.introspect(tokens.get("access_token").asText(), "portal-a", "portal-a-secret");
            assertEquals("read", introspected.get("scope").asText(), introspected::toString);
            agent.await("refreshed");
            agent.await("waiting");
        }
    }

    @Test
    void theUserDeniesAndTheAgentGetsAccessDenied() {
        String agentId =
                registerPublicAgent(client, "Denied Agent", List.of("read")).text("client_id");
        try (ClientProgram agent = authlib(agentId, "--scope", "read", "--resource", PORTAL_A);
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-deny")).click();
            JsonNode error = agent.awaitError();
            assertEquals("access_denied", error.get("error").asText(), error::toString);
            assertTrue(error.get("state_ok").asBoolean(), "the error comes back with the agent's state");
        }
        assertTrue(
                client.myDelegations("alice", "alice-password").get("active").findValues("agent_id").stream()
                        .noneMatch(id -> id.asText().equals(agentId)),
                "nothing was granted");
    }

    /**
     * MCP clients add {@code offline_access} (and OpenID Connect's scopes) whenever the realm's metadata lists it, or
     * name no scope at all: the request still reaches the page, which shows the delegable scopes only (the agent's own
     * when the request names none), and the login gets no offline session: the refresh token is the ordinary one,
     * bounded by the delegation.
     */
    @Test
    void openIdConnectsScopesNeverFailARequestAndNeverMakeAnOfflineSession() {
        String agentId = registerPublicAgent(client, "MCP Desktop Client", List.of("read"))
                .text("client_id");
        // The administrator's obvious fix, which must not make offline sessions either: offline_access as a default.
        String agentPath = "/clients/" + client.clientUuid(agentId);
        String offlineScopeId = StreamSupport.stream(
                        client.get(client.adminUri(REALM, "/client-scopes"), bearer(client.rootToken()))
                                .json()
                                .spliterator(),
                        false)
                .filter(scope -> scope.get("name").asText().equals("offline_access"))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asText();
        Reply assigned = client.send(
                client.adminUri(REALM, agentPath + "/default-client-scopes/" + offlineScopeId),
                "PUT",
                "application/json",
                "",
                bearer(client.rootToken()));
        assertEquals(204, assigned.status(), assigned::toString);
        assertFalse(
                client.get(client.adminUri(REALM, agentPath + "/default-client-scopes"), bearer(client.rootToken()))
                        .body()
                        .contains("offline_access"),
                "an agent's offline_access is made optional again");
        for (String[] scope : List.of(
                new String[] {"--scope", "read offline_access"},
                new String[] {"--scope", "openid profile email offline_access"},
                new String[] {})) {
            List<String> arguments = new ArrayList<>(List.of(scope));
            arguments.addAll(List.of("--resource", PORTAL_A));
            try (ClientProgram agent = authlib(agentId, arguments.toArray(String[]::new));
                    Browser browser = new Browser()) {
                openConsentPage(browser, agent, "alice", "alice-password");
                assertEquals(
                        "Read your data in the portal", browser.text("proxyme-scope-read"), () -> List.of(scope) + "");
                assertFalse(
                        browser.has(By.id("proxyme-scope-offline_access")),
                        () -> List.of(scope) + ": offline_access is no permission");
                browser.await(By.id("proxyme-approve")).click();

                JsonNode tokens = agent.await("tokens");
                assertEquals(
                        "read",
                        claims(tokens.get("access_token").asText()).get("scope").asText(),
                        List.of(scope)::toString);
                JsonNode refresh = claims(tokens.get("refresh_token").asText());
                assertEquals("Refresh", refresh.get("typ").asText(), () -> List.of(scope) + ": " + refresh);
                assertFalse(
                        refresh.path("scope").asText().contains("offline_access"),
                        () -> List.of(scope) + ": " + refresh);
                assertTrue(
                        refresh.hasNonNull("exp"), () -> List.of(scope) + ": an offline token has no exp: " + refresh);
                agent.await("refreshed");
                Reply offline = client.get(
                        client.adminUri(
                                REALM,
                                "/users/" + client.userId("alice") + "/offline-sessions/" + client.clientUuid(agentId)),
                        bearer(client.rootToken()));
                assertEquals(200, offline.status(), offline::toString);
                assertEquals(0, offline.json().size(), () -> List.of(scope) + ": no offline session: " + offline);
            }
        }
    }

    @Test
    void anUnknownResourceIsRefusedBeforeTheUserIsAsked() {
        String agentId =
                registerPublicAgent(client, "Probing Agent", List.of("read")).text("client_id");
        try (Browser browser = new Browser()) {
            for (String[] request : List.of(
                    new String[] {"--scope", "read", "--resource", "https://portal-b.example/api"},
                    new String[] {"--scope", "read", "--resource", "https://unknown.example/"},
                    new String[] {"--scope", "read", "--resource", "https://PORTAL-A.example:443/#fragment"})) {
                try (ClientProgram agent = authlib(agentId, request)) {
                    browser.open(agent.await("user_action").get("url").asText());
                    JsonNode error = agent.awaitError();
                    assertEquals("invalid_target", error.get("error").asText(), () -> List.of(request) + ": " + error);
                }
            }
            assertFalse(browser.has(By.id("username")), "no login page was shown for a request that cannot be granted");
        }
    }

    /** OAuth 2.1 and MCP: every agent uses PKCE with S256; a request without it goes back with invalid_request. */
    @Test
    void anAuthorizationRequestWithoutPkceS256IsRefused() {
        String agentId =
                registerPublicAgent(client, "Careless Agent", List.of("read")).text("client_id");
        String base = client.issuer(REALM) + "/protocol/openid-connect/auth?response_type=code&client_id=" + agentId
                + "&redirect_uri="
                + java.net.URLEncoder.encode("http://127.0.0.1:9/callback", java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=read&state=s1&resource="
                + java.net.URLEncoder.encode(PORTAL_A, java.nio.charset.StandardCharsets.UTF_8);
        for (String pkce : List.of(
                "", "&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghij123&code_challenge_method=plain")) {
            Reply reply = client.get(URI.create(base + pkce), null);
            assertEquals(302, reply.status(), reply::toString);
            String location = reply.headers().firstValue("Location").orElse("");
            assertTrue(
                    location.startsWith("http://127.0.0.1:9/callback")
                            && location.contains("error=invalid_request")
                            && location.contains("state=s1"),
                    location);
        }
    }

    /**
     * Asking again for more shows the union, the new scope marked; approving replaces the first delegation, whose
     * refresh token stops working.
     */
    @Test
    void aStepUpShowsTheUnionAndReplacesTheFirstDelegation() {
        String agentId = registerPublicAgent(client, "Growing Agent", List.of("read", "write"))
                .text("client_id");
        try (Browser browser = new Browser()) {
            JsonNode first;
            try (ClientProgram agent =
                    authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke")) {
                openConsentPage(browser, agent, "bob", "bob-password");
                browser.await(By.id("proxyme-approve")).click();
                agent.await("tokens");
                first = agent.await("refreshed");
                agent.await("waiting");
            }
            try (ClientProgram agent =
                    authlib(agentId, "--scope", "read write", "--resource", PORTAL_A, "--pause-before-revoke")) {
                openConsentPage(browser, agent, "bob", "bob-password");
                assertTrue(browser.has(By.cssSelector("#proxyme-scope-write.proxyme-scope-new")), "write is new");
                assertFalse(browser.has(By.cssSelector("#proxyme-scope-read.proxyme-scope-new")), "read was granted");
                browser.await(By.id("proxyme-approve")).click();
                JsonNode second =
                        claims(agent.await("tokens").get("access_token").asText());
                assertEquals("read write", second.get("scope").asText());
                String firstDelegation = claims(first.get("access_token").asText())
                        .get("delegation_id")
                        .asText();
                assertNotEquals(firstDelegation, second.get("delegation_id").asText());
                assertEquals(
                        "superseded",
                        client.trail(firstDelegation)
                                .get("delegation")
                                .get("end_reason")
                                .asText());
                assertFalse(client.isActive(first.get("access_token").asText()));
                Reply replay = refresh(agentId, first.get("refresh_token").asText());
                assertEquals(400, replay.status(), replay::toString);
                assertEquals("invalid_grant", replay.text("error"));
                agent.await("refreshed");
                agent.await("waiting");
            }
        }
    }

    /**
     * A public agent's refresh token is good once (RFC 9700 section 4.14.2). Two refreshes racing with the same token:
     * one wins, the other is a replay, and the replay ends the delegation, the winner's tokens included.
     */
    @Test
    void aReplayedRefreshTokenEndsTheDelegationEvenWhenTheReplayRaces() throws Exception {
        String agentId =
                registerPublicAgent(client, "Leaky Agent", List.of("read")).text("client_id");
        try (ClientProgram agent =
                        authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            JsonNode tokens = agent.await("tokens");
            JsonNode refreshed = agent.await("refreshed");
            agent.await("waiting");
            String delegationId = claims(tokens.get("access_token").asText())
                    .get("delegation_id")
                    .asText();
            String unused = refreshed.get("refresh_token").asText();

            ExecutorService racers = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                Callable<Reply> refresh = () -> {
                    start.await();
                    return refresh(agentId, unused);
                };
                Future<Reply> one = racers.submit(refresh);
                Future<Reply> other = racers.submit(refresh);
                start.countDown();
                List<Reply> replies = List.of(one.get(), other.get());
                assertEquals(
                        1,
                        replies.stream().filter(reply -> reply.status() == 200).count(),
                        replies::toString);
                Reply loser = replies.stream()
                        .filter(reply -> reply.status() != 200)
                        .findFirst()
                        .orElseThrow();
                assertEquals(400, loser.status(), loser::toString);
                assertEquals("invalid_grant", loser.text("error"));
                String winnersToken = replies.stream()
                        .filter(reply -> reply.status() == 200)
                        .findFirst()
                        .orElseThrow()
                        .text("access_token");
                assertFalse(client.isActive(winnersToken), "the replay ended the delegation for both");
            } finally {
                racers.shutdownNow();
            }
            JsonNode ended = client.trail(delegationId).get("delegation");
            assertEquals("refresh_token_reused", ended.get("end_reason").asText(), ended::toString);
            Reply again = refresh(agentId, tokens.get("refresh_token").asText());
            assertEquals("invalid_grant", again.text("error"), again::toString);
        }
    }

    @Test
    void theUserRevokesOnTheirPageAndTheRefreshFails() {
        String agentId =
                registerPublicAgent(client, "Revoked Agent", List.of("read")).text("client_id");
        try (ClientProgram agent =
                        authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            agent.await("tokens");
            JsonNode refreshed = agent.await("refreshed");
            agent.await("waiting");
            String delegationId = claims(refreshed.get("access_token").asText())
                    .get("delegation_id")
                    .asText();

            browser.open(client.proxymeUri(REALM, "delegations").toString());
            browser.await(By.id("proxyme-revoke-" + delegationId)).click();
            browser.await(By.id("proxyme-message"));

            assertFalse(client.isActive(refreshed.get("access_token").asText()), "inactive at once");
            Reply refresh = refresh(agentId, refreshed.get("refresh_token").asText());
            assertEquals(400, refresh.status(), refresh::toString);
            assertEquals("invalid_grant", refresh.text("error"));
            assertEquals(
                    "revoked_by_user",
                    client.trail(delegationId)
                            .get("delegation")
                            .get("end_reason")
                            .asText());
        }
    }

    /**
     * Keycloak keeps one client session per agent in a login session: a second approval in the same session (another
     * portal) takes it over, so the first delegation ends, audited, and every check agrees that its tokens are done.
     */
    @Test
    void aSecondApprovalInTheSameSessionEndsTheFirstAndEveryCheckAgrees() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Two-portal Agent");
        body.put("scopes", List.of("read"));
        body.put("portals", List.of("portal-a", "portal-b"));
        body.put("redirect_uris", List.of("http://127.0.0.1/callback"));
        body.put("token_endpoint_auth_method", "none");
        Reply registered = client.registerAgent(body);
        String agentId = registered.text("client_id");
        try (Browser browser = new Browser()) {
            JsonNode first;
            try (ClientProgram agent =
                    authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke")) {
                openConsentPage(browser, agent, "bob", "bob-password");
                browser.await(By.id("proxyme-approve")).click();
                agent.await("tokens");
                first = agent.await("refreshed");
                agent.await("waiting");
            }
            try (ClientProgram agent = authlib(
                    agentId,
                    "--scope",
                    "read",
                    "--resource",
                    "https://portal-b.example/api",
                    "--pause-before-revoke")) {
                openConsentPage(browser, agent, "bob", "bob-password");
                browser.await(By.id("proxyme-approve")).click();
                assertEquals(
                        "portal-b",
                        claims(agent.await("tokens").get("access_token").asText())
                                .get("aud")
                                .asText());
                agent.await("refreshed");
                agent.await("waiting");
            }
            String firstToken = first.get("access_token").asText();
            String firstDelegation = claims(firstToken).get("delegation_id").asText();
            JsonNode ended = client.trail(firstDelegation).get("delegation");
            assertEquals("superseded", ended.get("end_reason").asText(), ended::toString);
            assertFalse(client.isActive(firstToken), "introspection");
            assertEquals(401, client.proxyCheck(firstToken).status(), "the proxy check");
            assertFalse(
                    client.proxyme("validate_delegation", ProxymeClient.BACKEND, Map.of("delegation_token", firstToken))
                            .json()
                            .get("valid")
                            .asBoolean(),
                    "validate_delegation");
            assertEquals(
                    "invalid_grant",
                    refresh(agentId, first.get("refresh_token").asText()).text("error"),
                    "refresh");
        }
    }

    /**
     * Two approvals of one agent for two portals in one Keycloak session: each token carries only what its page showed
     * (the second's scope on the second portal, never the first's scope nor portal), and a refresh cannot carry it
     * back to the first portal or to the first scope.
     */
    @Test
    void twoApprovalsForTwoPortalsInOneSessionGrantOnlyWhatEachPageShowed() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Two-scope Agent");
        body.put("scopes", List.of("read", "write"));
        body.put("portals", List.of("portal-a", "portal-b"));
        body.put("redirect_uris", List.of("http://127.0.0.1/callback"));
        body.put("token_endpoint_auth_method", "none");
        String agentId = client.registerAgent(body).text("client_id");
        try (Browser browser = new Browser()) {
            String firstToken;
            try (ClientProgram agent =
                    authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke")) {
                openConsentPage(browser, agent, "alice", "alice-password");
                browser.await(By.id("proxyme-approve")).click();
                firstToken = agent.await("refreshed").get("access_token").asText();
                agent.await("waiting");
            }
            JsonNode second;
            try (ClientProgram agent = authlib(
                    agentId,
                    "--scope",
                    "write",
                    "--resource",
                    "https://portal-b.example/api",
                    "--pause-before-revoke")) {
                openConsentPage(browser, agent, "alice", "alice-password");
                assertTrue(
                        browser.has(By.id("proxyme-scope-write")) && !browser.has(By.id("proxyme-scope-read")),
                        "the second page shows only what the second request asks");
                browser.await(By.id("proxyme-approve")).click();
                second = agent.await("refreshed");
                agent.await("waiting");
            }
            JsonNode claims = claims(second.get("access_token").asText());
            assertEquals("portal-b", claims.get("aud").asText(), claims::toString);
            assertEquals("write", claims.get("scope").asText(), () -> "nothing of the first approval: " + claims);
            JsonNode delegation =
                    client.trail(claims.get("delegation_id").asText()).get("delegation");
            assertEquals("[\"write\"]", delegation.get("scopes").toString(), delegation::toString);
            assertEquals("portal-b", delegation.get("portal").asText());
            assertEquals(
                    403, client.proxyCheck(second.get("access_token").asText()).status(), "not a token for portal A");
            assertFalse(client.isActive(firstToken), "the first approval's tokens ended with it");

            String refreshToken = second.get("refresh_token").asText();
            Reply toFirstPortal = client.form(
                    client.tokenEndpoint(REALM),
                    Map.of(
                            "grant_type",
                            "refresh_token",
                            "refresh_token",
                            refreshToken,
                            "client_id",
                            agentId,
                            "resource",
                            PORTAL_A),
                    null);
            assertEquals("invalid_target", toFirstPortal.text("error"), toFirstPortal::toString);
            Reply wider = client.form(
                    client.tokenEndpoint(REALM),
                    Map.of(
                            "grant_type",
                            "refresh_token",
                            "refresh_token",
                            refreshToken,
                            "client_id",
                            agentId,
                            "scope",
                            "read write"),
                    null);
            assertTrue(
                    wider.status() == 400
                            || "write"
                                    .equals(claims(wider.text("access_token"))
                                            .get("scope")
                                            .asText()),
                    () -> "a refresh never adds the first approval's scope: " + wider);
        }
    }

    /**
     * A refused refresh (for a resource the delegation does not name) leaves a public agent's refresh token unused; and a
     * confidential agent cannot renew a standard flow's delegation through the JSON operations, by id or by user.
     */
    @Test
    void aRefusedRefreshCanBeRetriedAndTheJsonOperationsCannotRenewAStandardFlowsDelegation() {
        String agentId =
                registerPublicAgent(client, "Retrying Agent", List.of("read")).text("client_id");
        try (ClientProgram agent =
                        authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            agent.await("tokens");
            String refreshToken = agent.await("refreshed").get("refresh_token").asText();
            agent.await("waiting");
            Reply wrongScope = client.form(
                    client.tokenEndpoint(REALM),
                    Map.of(
                            "grant_type",
                            "refresh_token",
                            "refresh_token",
                            refreshToken,
                            "client_id",
                            agentId,
                            "resource",
                            "https://another-portal.example/"),
                    null);
            assertEquals(400, wrongScope.status(), wrongScope::toString);
            assertEquals("invalid_target", wrongScope.text("error"), wrongScope::toString);
            Reply retried = refresh(agentId, refreshToken);
            assertEquals(200, retried.status(), () -> "the refused refresh did not use the token up: " + retried);
            assertTrue(client.isActive(retried.text("access_token")));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Confidential Web Agent");
        body.put("scopes", List.of("read"));
        body.put("portals", List.of("portal-a"));
        body.put("redirect_uris", List.of("http://127.0.0.1/callback"));
        Reply registered = client.registerAgent(body);
        ProxymeClient.RegisteredAgent confidential =
                new ProxymeClient.RegisteredAgent(registered.text("client_id"), registered.text("client_secret"));
        try (ClientProgram agent = authlib(
                        confidential.clientId(),
                        "--client-secret",
                        confidential.secret(),
                        "--scope",
                        "read",
                        "--resource",
                        PORTAL_A,
                        "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            String delegationId = claims(
                            agent.await("tokens").get("access_token").asText())
                    .get("delegation_id")
                    .asText();
            agent.await("refreshed");
            agent.await("waiting");
            Reply byId = client.proxyme("delegate", confidential.basicAuth(), Map.of("delegation_id", delegationId));
            assertEquals(403, byId.status(), byId::toString);
            assertEquals("invalid_grant", byId.text("error"));
            Reply byUser = client.proxyme(
                    "delegate", confidential.basicAuth(), Map.of("username", "alice", "scopes", List.of("read")));
            assertEquals(403, byUser.status(), () -> "no code exchange, no token: " + byUser);
            Reply extensionGrant = client.form(
                    client.tokenEndpoint(REALM),
                    Map.of(
                            "grant_type",
                            "urn:proxyme:params:oauth:grant-type:delegation",
                            "delegation_id",
                            delegationId),
                    confidential.basicAuth());
            assertEquals("invalid_grant", extensionGrant.text("error"), extensionGrant::toString);
        }
    }

    /** Text an agent shows the user must read as what it is: no bidirectional override, no zero-width characters. */
    @Test
    void aPurposeThatWouldDisplayAsSomethingElseIsRefusedAtOnce() {
        String agentId =
                registerPublicAgent(client, "Spoofing Agent", List.of("read")).text("client_id");
        String base = client.issuer(REALM) + "/protocol/openid-connect/auth?response_type=code&client_id=" + agentId
                + "&redirect_uri="
                + java.net.URLEncoder.encode("http://127.0.0.1:9/callback", java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=read&state=s1&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghij123&code_challenge_method=S256&purpose=";
        for (String purpose : List.of("Read invoices\u202Eetadpu", "Read\u200Binvoices", "Read\u0007invoices")) {
            Reply reply = client.get(
                    URI.create(base + java.net.URLEncoder.encode(purpose, java.nio.charset.StandardCharsets.UTF_8)),
                    null);
            String location = reply.headers().firstValue("Location").orElse("");
            // Keycloak refuses a raw control character in the query itself (400, its error page); Proxyme the rest.
            boolean refusedByKeycloak = reply.status() == 400 && purpose.contains("\u0007");
            assertTrue(
                    refusedByKeycloak
                            || location.startsWith("http://127.0.0.1:9/callback")
                                    && location.contains("error=invalid_request"),
                    () -> purpose.codePoints().mapToObj(Integer::toHexString).toList() + ": " + reply.status() + " "
                            + location);
        }
        Reply pushed = client.form(
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/ext/par/request"),
                Map.of(
                        "response_type",
                        "code",
                        "client_id",
                        agentId,
                        "redirect_uri",
                        "http://127.0.0.1:9/callback",
                        "scope",
                        "read",
                        "code_challenge",
                        "abcdefghijabcdefghijabcdefghijabcdefghij123",
                        "code_challenge_method",
                        "S256",
                        "purpose",
                        "Read\u0007invoices"),
                null);
        assertEquals(400, pushed.status(), () -> "PAR refuses it too: " + pushed);
        assertEquals("invalid_request", pushed.text("error"));
    }

    /** Keycloak's own APIs and grants refuse a delegation token of a standard flow as they refuse every other. */
    @Test
    void keycloaksOtherEndpointsRefuseTheToken() {
        String agentId =
                registerPublicAgent(client, "Curious Agent", List.of("read")).text("client_id");
        try (ClientProgram agent =
                        authlib(agentId, "--scope", "read", "--resource", PORTAL_A, "--pause-before-revoke");
                Browser browser = new Browser()) {
            openConsentPage(browser, agent, "root", "root-password");
            browser.await(By.id("proxyme-approve")).click();
            String token = agent.await("tokens").get("access_token").asText();
            agent.await("waiting");
            Reply admin = client.get(client.adminUri(REALM, "/users"), bearer(token));
            assertEquals(401, admin.status(), () -> "an administrator's delegation token is no admin token: " + admin);
            Reply account = client.get(URI.create(client.issuer(REALM) + "/account/"), bearer(token));
            assertTrue(account.status() == 401 || account.status() == 403, account::toString);
            Reply userinfo =
                    client.get(URI.create(client.issuer(REALM) + "/protocol/openid-connect/userinfo"), bearer(token));
            assertTrue(userinfo.status() == 401 || userinfo.status() == 403, userinfo::toString);
            Reply exchange = client.form(
                    client.tokenEndpoint(REALM),
                    Map.of(
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:token-exchange",
                            "subject_token",
                            token,
                            "subject_token_type",
                            "urn:ietf:params:oauth:token-type:access_token",
                            "audience",
                            "portal-b"),
                    ProxymeClient.basic("portal-a", "portal-a-secret"));
            assertNotEquals(200, exchange.status(), exchange::toString);
            assertTrue(client.isActive(token), "and the token is still good where it belongs");
        }
    }

    /**
     * Were an administrator to disable Proxyme's consent action, an agent's login must not yield the user's plain
     * tokens: Keycloak issues the agent nothing outside a delegation.
     */
    @Test
    void withTheConsentActionDisabledTheAgentGetsNoToken() {
        String agentId =
                registerPublicAgent(client, "Unchecked Agent", List.of("read")).text("client_id");
        URI action = client.adminUri(REALM, "/authentication/required-actions/proxyme-agent-consent");
        JsonNode model = client.get(action, bearer(client.rootToken())).json();
        try {
            Reply disabled = client.send(
                    action,
                    "PUT",
                    "application/json",
                    ((com.fasterxml.jackson.databind.node.ObjectNode) model.deepCopy())
                            .put("enabled", false)
                            .toString(),
                    bearer(client.rootToken()));
            assertEquals(204, disabled.status(), disabled::toString);
            try (ClientProgram agent = authlib(agentId, "--scope", "read", "--resource", PORTAL_A);
                    Browser browser = new Browser()) {
                browser.open(agent.await("user_action").get("url").asText());
                browser.logInIfAsked("bob", "bob-password");
                JsonNode error = agent.awaitError();
                assertEquals("invalid_grant", error.get("error").asText(), error::toString);
                assertFalse(browser.has(By.id("proxyme-consent-form")));
            }
        } finally {
            assertEquals(
                    204,
                    client.send(action, "PUT", "application/json", model.toString(), bearer(client.rootToken()))
                            .status());
        }
    }

    private Reply refresh(String agentId, String refreshToken) {
        return client.refreshAsPublicClient(agentId, refreshToken);
    }

    private static JsonNode find(JsonNode delegations, String id) {
        for (JsonNode delegation : delegations) {
            if (delegation.get("id").asText().equals(id)) {
                return delegation;
            }
        }
        throw new AssertionError("No delegation " + id + " in " + delegations);
    }
}
