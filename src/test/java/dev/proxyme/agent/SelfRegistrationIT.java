package dev.proxyme.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.Eventually;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limited self-registration (RFC 7591), off by default: an administrator adds Proxyme's policy to the realm's
 * anonymous client registration policies, and a client that can only register itself (an MCP client without a client
 * id) becomes a public agent on the policy's terms, shown to the user as not verified, counted per address, bounded
 * per realm, and removed once unused.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfRegistrationIT {

    private static final String POLICY_TYPE =
            "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";

    private final KeycloakServer server;
    private final ProxymeClient root;
    private final List<TestRealm> realms = new ArrayList<>();

    SelfRegistrationIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.root = client;
    }

    @BeforeAll
    void checkOffByDefault() {
        TestRealm realm = realm("selfreg-off");
        Reply refused = register(realm.client(), Map.of("redirect_uris", List.of("http://127.0.0.1/callback")));
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("access_denied", refused.text("error"));
    }

    /** Refusals while self-registration is off are counted per address too: each one writes an audit row. */
    @Test
    void refusalsWhileOffAreCountedPerAddress() throws UnknownHostException {
        TestRealm realm = realm("selfreg-off-rate");
        ProxymeClient caller = new ProxymeClient(server, InetAddress.getByName("127.0.0.4")).inRealm(realm.name());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2 * SelfRegistrationPolicy.DEFAULT_REGISTRATIONS_PER_MINUTE + 1; i++) {
            statuses.add(register(caller, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")))
                    .status());
        }
        assertTrue(statuses.contains(429), statuses::toString);
        assertTrue(statuses.stream().allMatch(status -> status == 403 || status == 429), statuses::toString);
    }

    /**
     * Registrations at once never hold more agents than the policy allows: the count and the new client are one step
     * under the realm's lock. Twenty at once, from twenty addresses, for five places.
     */
    @Test
    void registrationsAtOnceNeverExceedTheRealmsLimit() throws Exception {
        TestRealm realm = realm("selfreg-race");
        turnOn(realm, List.of("read"), List.of("portal-a"), Map.of(SelfRegistrationPolicy.MAX_AGENTS, "5"));
        long before = clientCount(realm.client());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<java.util.concurrent.Future<Integer>> replies = new ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 20; i++) {
                ProxymeClient caller =
                        new ProxymeClient(server, InetAddress.getByName("127.0.1." + (10 + i))).inRealm(realm.name());
                replies.add(pool.submit(() -> {
                    start.await();
                    return register(caller, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")))
                            .status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> reply : replies) {
                statuses.add(reply.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertEquals(5, statuses.stream().filter(status -> status == 201).count(), statuses::toString);
            assertTrue(statuses.stream().allMatch(status -> status == 201 || status == 403), statuses::toString);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 5, clientCount(realm.client()), "five agents, not one more");
    }

    @AfterAll
    void removeRealms() {
        realms.forEach(TestRealm::close);
    }

    /**
     * The MCP Python SDK with no client id and no metadata URL registers itself at the endpoint the realm's metadata
     * names, reaches the consent page marked "not verified", gets its token, calls its tools, refreshes, steps up to
     * a tool that needs more, and is stopped by the user's revocation as any agent.
     */
    @Test
    void thePythonSdkRegistersItselfAndTheUserSeesItIsNotVerified() {
        TestRealm realm = realm("selfreg-sdk");
        ProxymeClient client = realm.client();
        try (ClientProgram mcpServer = ClientProgram.mcpPython("mcp-server.py")) {
            URI mcpServerUrl =
                    URI.create(mcpServer.await("listening").get("url").asText());
            try (NginxProxy nginx =
                    new NginxProxy(server, realm.name(), "portal-selfreg-mcp", mcpServerUrl.getAuthority())) {
                String resource = nginx.uri("/mcp").toString();
                client.createPortal("portal-selfreg-mcp", "Self-registration MCP", resource);
                client.setPortalRoutes("portal-selfreg-mcp", "POST /mcp write tools/call delete_report; * /mcp read");
                turnOn(realm, List.of("read", "write"), List.of("portal-selfreg-mcp"), Map.of());

                try (ClientProgram mcpClient = ClientProgram.mcpPython("mcp-client.py", resource);
                        Browser browser = new Browser()) {
                    mcpClient.await("redirect_uri");
                    URI authorization =
                            URI.create(mcpClient.await("user_action").get("url").asText());
                    String agentId = queryParameter(authorization, "client_id");
                    assertTrue(agentId.startsWith("agent-"), authorization::toString);
                    browser.open(authorization.toString());
                    browser.logInIfAsked("alice", "alice-password");
                    browser.await(By.id("proxyme-consent-form"));
                    assertEquals("Proxyme test MCP client (Python SDK) asks for access", browser.text("proxyme-title"));
                    String notVerified = browser.text("proxyme-not-verified");
                    assertTrue(notVerified.startsWith("Not verified."), notVerified);
                    assertTrue(notVerified.contains("registered itself"), notVerified);
                    assertTrue(browser.has(By.id("proxyme-scope-read")));
                    browser.await(By.id("proxyme-approve")).click();

                    JsonNode claims = claims(
                            mcpClient.await("authorized").get("access_token").asText());
                    assertEquals(agentId, claims.get("azp").asText(), claims::toString);
                    assertEquals("portal-selfreg-mcp", claims.get("aud").asText());
                    assertEquals("read", claims.get("scope").asText());
                    assertEquals("alice", mcpClient.await("whoami").get("text").asText());

                    mcpClient.await("waiting");
                    mcpClient.send("expire");
                    assertEquals("alice", mcpClient.await("whoami").get("text").asText());
                    JsonNode refreshed = mcpClient.await("refreshed");
                    assertEquals(200, refreshed.get("status").asInt(), refreshed::toString);
                    assertTrue(refreshed.get("changed").asBoolean(), refreshed::toString);

                    // A tool the rules reserve for write: the SDK asks again, the page still says "not verified".
                    mcpClient.await("waiting");
                    mcpClient.send("step-up");
                    browser.open(mcpClient
                            .await("reauthorization_required")
                            .get("url")
                            .asText());
                    browser.await(By.id("proxyme-consent-form"));
                    assertTrue(browser.has(By.id("proxyme-not-verified")));
                    assertTrue(browser.has(By.cssSelector("#proxyme-scope-write.proxyme-scope-new")));
                    browser.await(By.id("proxyme-approve")).click();
                    JsonNode steppedUp = mcpClient.await("stepped_up");
                    assertEquals("deleted q3", steppedUp.get("text").asText(), steppedUp::toString);
                    JsonNode wider = claims(steppedUp.get("access_token").asText());

                    mcpClient.await("waiting");
                    browser.open(client.proxymeUri(realm.name(), "delegations").toString());
                    browser.await(By.id("proxyme-revoke-"
                                    + wider.get("delegation_id").asText()))
                            .click();
                    browser.await(By.id("proxyme-message"));
                    mcpClient.send("next");
                    mcpClient.await("reauthorization_required");
                    JsonNode refused = mcpClient.awaitError();
                    assertEquals(401, refused.get("mcp_status").asInt(), refused::toString);
                    assertEquals(
                            "invalid_grant", refused.get("refresh").get("error").asText(), refused::toString);
                }
            }
        }
    }

    /**
     * What a registration may not decide: a public client whatever it asks for, the policy's scopes and portals
     * whatever its {@code scope} or attributes say, no secret, no service account, no device grant, none of the
     * JSON operations; the answer is RFC 7591's client information response.
     */
    @Test
    void aRegistrationGetsThePolicysTermsAndNothingItAsksForBeyondThem() {
        TestRealm realm = realm("selfreg-terms");
        ProxymeClient client = realm.client();
        turnOn(realm, List.of("read"), List.of("portal-a"), Map.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("redirect_uris", List.of("http://127.0.0.1/callback", "https://app.example/cb"));
        body.put("client_name", "Cursor-like <b>editor</b>");
        body.put("token_endpoint_auth_method", "client_secret_post");
        body.put("grant_types", List.of("authorization_code", "refresh_token", "client_credentials"));
        body.put("response_types", List.of("code"));
        body.put("scope", "read write admin offline_access");
        body.put("jwks", Map.of("keys", List.of()));
        body.put("attributes", Map.of("proxyme.portals", "*", "proxyme.selfRegistered", "false"));
        body.put("software_statement", "eyJhbGciOiJub25lIn0.e30.");
        Reply registered = register(client, body);
        assertEquals(201, registered.status(), registered::toString);
        JsonNode answer = registered.json();
        String agentId = answer.get("client_id").asText();
        assertEquals("none", answer.get("token_endpoint_auth_method").asText(), answer::toString);
        assertFalse(answer.has("client_secret"), answer::toString);
        assertFalse(answer.has("registration_access_token"), answer::toString);
        assertEquals("read", answer.get("scope").asText());
        assertEquals(List.of("authorization_code", "refresh_token"), strings(answer.get("grant_types")));
        assertEquals(
                List.of("http://127.0.0.1/callback", "https://app.example/cb"), strings(answer.get("redirect_uris")));
        assertTrue(answer.get("client_id_issued_at").asLong() > 1_700_000_000L, answer::toString);

        JsonNode rep = clientRep(client, agentId);
        assertTrue(rep.get("publicClient").asBoolean(), rep::toString);
        assertFalse(rep.get("serviceAccountsEnabled").asBoolean(), rep::toString);
        JsonNode attributes = rep.get("attributes");
        assertEquals("portal-a", attributes.get("proxyme.portals").asText(), rep::toString);
        assertEquals("true", attributes.get("proxyme.selfRegistered").asText(), rep::toString);
        assertEquals(
                "false",
                attributes.get("oauth2.device.authorization.grant.enabled").asText(),
                rep::toString);
        assertEquals("Cursor-like <b>editor</b>", rep.get("name").asText(), "kept as text, escaped where shown");
        List<String> optional = client.optionalClientScopes(rep.get("clientId").asText());
        assertTrue(optional.contains("read"), optional::toString);
        assertFalse(optional.contains("write"), optional::toString);
        assertFalse(optional.contains("admin"), optional::toString);

        Reply device = client.form(
                URI.create(client.issuer(realm.name()) + "/protocol/openid-connect/auth/device"),
                Map.of("client_id", agentId, "scope", "read"),
                null);
        assertEquals(400, device.status(), device::toString);
        assertEquals("unauthorized_client", device.text("error"), device::toString);
        Reply credentials = client.form(
                client.tokenEndpoint(realm.name()),
                Map.of("grant_type", "client_credentials", "client_id", agentId),
                null);
        assertEquals(401, credentials.status(), credentials::toString);
        Reply operation = client.proxyme(
                realm.name(),
                "request_delegation",
                null,
                Map.of("client_id", agentId, "user", "alice", "scopes", List.of("read"), "portal", "portal-a"));
        assertEquals(401, operation.status(), () -> "the JSON operations need a confidential agent: " + operation);

        // The user sees the name as the program's own claim, marked not verified, on a page of escaped text.
        try (ClientProgram agent = ClientProgram.python(
                        "auth-code.py",
                        client.issuer(realm.name()),
                        agentId,
                        "--scope",
                        "read",
                        "--resource",
                        "https://portal-a.example/");
                Browser browser = new Browser()) {
            browser.open(agent.await("user_action").get("url").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-consent-form"));
            assertEquals("Cursor-like <b>editor</b> asks for access", browser.text("proxyme-title"));
            assertTrue(browser.text("proxyme-not-verified").contains("Cursor-like <b>editor</b>"));
            assertFalse(browser.has(By.cssSelector("#proxyme-title b")), "markup in a name stays text");
        }
    }

    /** Malformed registrations: RFC 7591's errors with a reason, never a 500, and nothing is made. */
    @Test
    void malformedRegistrationsAreRefusedWithRfc7591sErrors() {
        TestRealm realm = realm("selfreg-bad");
        ProxymeClient client = realm.client();
        turnOn(realm, List.of("read"), List.of("portal-a"), Map.of());
        long before = clientCount(client);
        String ok = "http://127.0.0.1/callback";
        Map<String, String> corpus = new LinkedHashMap<>();
        corpus.put("not json", "invalid_request");
        corpus.put("[\"redirect_uris\"]", "invalid_request");
        corpus.put("{}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":\"" + ok + "\"}", "invalid_request");
        corpus.put("{\"redirect_uris\":[1]}", "invalid_request");
        corpus.put("{\"redirect_uris\":[\"http://app.example/cb\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"HTTP://app.example/cb\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"http://127.0.0.1.app.example/cb\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"https://app.example/cb#x\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"https://*.app.example/cb\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"https://user@app.example/cb\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"javascript:alert(1)\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"com.example.app:/cb\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"https://app.example/c b\"]}", "invalid_redirect_uri");
        corpus.put("{\"redirect_uris\":[\"https://app.example/cb\\u0000\"]}", "invalid_redirect_uri");
        corpus.put(
                "{\"redirect_uris\":[" + String.join(",", java.util.Collections.nCopies(11, "\"" + ok + "\"")) + "]}",
                "invalid_redirect_uri");
        corpus.put(
                "{\"redirect_uris\":[\"" + ok + "\"],\"grant_types\":[\"client_credentials\"]}",
                "invalid_client_metadata");
        corpus.put(
                "{\"redirect_uris\":[\"" + ok
                        + "\"],\"grant_types\":[\"urn:ietf:params:oauth:grant-type:device_code\"]}",
                "invalid_client_metadata");
        corpus.put(
                "{\"redirect_uris\":[\"" + ok + "\"],\"grant_types\":[\"Authorization_Code\"]}",
                "invalid_client_metadata");
        corpus.put("{\"redirect_uris\":[\"" + ok + "\"],\"response_types\":[\"token\"]}", "invalid_client_metadata");
        corpus.put(
                "{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":\"" + "x".repeat(101) + "\"}",
                "invalid_client_metadata");
        corpus.put("{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":\"a\\nb\"}", "invalid_client_metadata");
        corpus.put("{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":\"a\\u202eb\"}", "invalid_client_metadata");
        for (String blank : List.of("\\u034f", "\\ufe0f", "\\u17b4\\u17b5", "\\u180b", "\\u0301\\u0301", "\\u3164")) {
            corpus.put(
                    "{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":\"" + blank + "\"}",
                    "invalid_client_metadata");
        }
        corpus.put("{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":\" \"}", "invalid_request");
        corpus.put("{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":{\"en\":\"x\"}}", "invalid_request");
        corpus.forEach((body, error) -> {
            Reply refused = client.send(client.proxymeUri(realm.name(), "clients"), "POST", "application/json", body);
            assertEquals(400, refused.status(), () -> body + " -> " + refused);
            assertEquals(error, refused.text("error"), () -> body + " -> " + refused);
            assertFalse(refused.text("error_description").isBlank(), refused::toString);
            assertFalse(refused.body().contains("Exception"), refused::toString);
        });
        Reply huge = client.send(
                client.proxymeUri(realm.name(), "clients"),
                "POST",
                "application/json",
                "{\"redirect_uris\":[\"" + ok + "\"],\"client_name\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(413, huge.status(), huge::toString);
        assertEquals(before, clientCount(client), "no refused registration made a client");
    }

    /**
     * Registrations are counted per address: one that registers too often is told when to retry ({@code 429},
     * {@code Retry-After}), while another address registers. Fixed one-minute windows: of five registrations within
     * a minute at most four fit in two windows of two, so at least one is refused wherever the minute turns.
     */
    @Test
    void anAddressThatRegistersTooOftenIsToldWhenToRetry() throws UnknownHostException {
        TestRealm realm = realm("selfreg-rate");
        turnOn(
                realm,
                List.of("read"),
                List.of("portal-a"),
                Map.of(SelfRegistrationPolicy.REGISTRATIONS_PER_MINUTE, "2"));
        ProxymeClient busy = new ProxymeClient(server, InetAddress.getByName("127.0.0.2")).inRealm(realm.name());
        int created = 0;
        Reply limited = null;
        for (int i = 0; i < 5; i++) {
            Reply reply = register(busy, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")));
            if (reply.status() == 201) {
                created++;
            } else {
                assertEquals(429, reply.status(), reply::toString);
                limited = reply;
            }
        }
        assertNotNull(limited, "one of five registrations within a minute is refused");
        assertTrue(created <= 4, "created " + created);
        Reply finalLimited = limited;
        assertEquals("slow_down", limited.text("error"), finalLimited::toString);
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60, finalLimited::toString);

        ProxymeClient other = new ProxymeClient(server, InetAddress.getByName("127.0.0.3")).inRealm(realm.name());
        Reply elsewhere = register(other, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")));
        assertEquals(201, elsewhere.status(), elsewhere::toString);
    }

    /**
     * The realm holds at most the policy's number of self-registered agents; those left unused (no delegation active,
     * approved or ended within the policy's time) are removed, one in use stays until its delegation has ended, and
     * the room they leave takes the next.
     */
    @Test
    void theRealmHoldsAtMostItsLimitAndRemovesTheUnused() {
        TestRealm realm = realm("selfreg-room");
        ProxymeClient client = realm.client();
        turnOn(
                realm,
                List.of("read"),
                List.of("portal-a"),
                Map.of(
                        SelfRegistrationPolicy.MAX_AGENTS,
                        "3",
                        SelfRegistrationPolicy.REMOVE_UNUSED_AFTER_SECONDS,
                        "3"));
        Map<String, Object> body = Map.of("redirect_uris", List.of("http://127.0.0.1/callback"), "client_name", "Used");
        String used = register(client, body).json().get("client_id").asText();
        try (ClientProgram agent = ClientProgram.python(
                        "auth-code.py",
                        client.issuer(realm.name()),
                        used,
                        "--scope",
                        "read",
                        "--resource",
                        "https://portal-a.example/",
                        "--pause-before-revoke");
                Browser browser = new Browser()) {
            browser.open(agent.await("user_action").get("url").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            JsonNode tokens = agent.await("tokens");
            assertEquals("read", tokens.get("scope").asText());
            String delegationId = claims(tokens.get("access_token").asText())
                    .get("delegation_id")
                    .asText();
            browser.open(client.proxymeUri(realm.name(), "delegations").toString());
            assertEquals(
                    "Not verified",
                    browser.text("proxyme-not-verified-" + delegationId),
                    "the user's page says the name is the program's own claim");
            agent.await("waiting");

            List<String> unused = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Reply registered = register(client, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")));
                assertEquals(201, registered.status(), registered::toString);
                unused.add(registered.json().get("client_id").asText());
            }
            Reply full = register(client, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")));
            assertEquals(403, full.status(), full::toString);
            assertEquals("access_denied", full.text("error"));
            assertTrue(full.text("error_description").contains("as many self-registered clients"), full::toString);

            Eventually.await(
                    () -> unused.stream().noneMatch(id -> exists(client, id)),
                    Duration.ofSeconds(30),
                    "both unused agents are removed");
            assertTrue(
                    exists(client, used),
                    "the agent with an active delegation stays (registered first, so as old as the removed)");

            // The agent revokes its own delegation (RFC 7009): unused from then on, it goes in its turn.
            agent.send("revoke");
            assertEquals(200, agent.await("revoked").get("status").asInt());
        }
        Eventually.await(() -> !exists(client, used), Duration.ofSeconds(30), "the agent whose delegation ended goes");
        Reply next = register(client, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")));
        assertEquals(201, next.status(), next::toString);
    }

    /**
     * An administrator sets the policy where Keycloak governs anonymous registration, and is told in the form what is
     * wrong with it; narrowing it narrows the agents registered under it. Keycloak's own anonymous registration keeps
     * its own policies (Trusted Hosts).
     */
    @Test
    void anAdministratorSetsThePolicyWhereKeycloakGovernsAnonymousRegistration() {
        TestRealm realm = realm("selfreg-admin");
        ProxymeClient client = realm.client();
        Map<String, List<String>> good =
                Map.of("scopes", List.of("read write"), "portals", List.of("portal-a", "portal-b"));
        List<Map<String, List<String>>> wrong = List.of(
                Map.of("scopes", List.of("nope"), "portals", List.of("portal-a")),
                Map.of("scopes", List.of("offline_access"), "portals", List.of("portal-a")),
                Map.of("scopes", List.of(), "portals", List.of("portal-a")),
                Map.of("scopes", List.of("read"), "portals", List.of("not-a-portal")),
                Map.of("scopes", List.of("read"), "portals", List.of()),
                Map.of("scopes", List.of("read"), "portals", List.of("portal-a"), "max-agents", List.of("0")),
                Map.of(
                        "scopes",
                        List.of("read"),
                        "portals",
                        List.of("portal-a"),
                        "registrations-per-minute",
                        List.of("x")),
                Map.of(
                        "scopes",
                        List.of("read"),
                        "portals",
                        List.of("portal-a"),
                        "remove-unused-after-seconds",
                        List.of("-1")));
        for (Map<String, List<String>> config : wrong) {
            Reply refused = createPolicy(realm, "anonymous", config);
            assertEquals(400, refused.status(), () -> config + " -> " + refused);
            assertFalse(refused.body().contains("Exception"), refused::toString);
        }
        Reply authenticated = createPolicy(realm, "authenticated", good);
        assertEquals(400, authenticated.status(), authenticated::toString);
        assertTrue(authenticated.body().contains("anonymous"), authenticated::toString);

        Reply created = createPolicy(realm, "anonymous", good);
        assertEquals(201, created.status(), created::toString);
        String location = created.headers().firstValue("Location").orElseThrow();
        String agentId = register(client, Map.of("redirect_uris", List.of("http://127.0.0.1/callback")))
                .json()
                .get("client_id")
                .asText();
        assertEquals(
                "portal-a portal-b",
                clientRep(client, agentId)
                        .get("attributes")
                        .get("proxyme.portals")
                        .asText());

        ObjectNode narrower = (ObjectNode)
                client.get(URI.create(location), bearer(client.rootToken())).json();
        ObjectNode config = (ObjectNode) narrower.get("config");
        config.putArray("scopes").add("read");
        config.putArray("portals").add("portal-b");
        Reply updated = client.send(
                URI.create(location), "PUT", "application/json", narrower.toString(), bearer(client.rootToken()));
        assertEquals(204, updated.status(), updated::toString);
        JsonNode rep = clientRep(client, agentId);
        assertEquals("portal-b", rep.get("attributes").get("proxyme.portals").asText(), rep::toString);
        List<String> optional = client.optionalClientScopes(rep.get("clientId").asText());
        assertTrue(optional.contains("read"), optional::toString);
        assertFalse(optional.contains("write"), () -> "narrowed: " + optional);

        // Made anew (deleted, created again) narrower still: the agents registered before are narrowed too.
        Reply deleted = client.send(URI.create(location), "DELETE", null, null, bearer(client.rootToken()));
        assertEquals(204, deleted.status(), deleted::toString);
        Reply anew =
                createPolicy(realm, "anonymous", Map.of("scopes", List.of("read"), "portals", List.of("portal-a")));
        assertEquals(201, anew.status(), anew::toString);
        assertEquals(
                "",
                clientRep(client, agentId)
                        .get("attributes")
                        .path("proxyme.portals")
                        .asText(),
                "portal-b is no longer the policy's: the agent keeps no portal");

        Reply keycloaks = client.send(
                URI.create(client.issuer(realm.name()) + "/clients-registrations/openid-connect"),
                "POST",
                "application/json",
                "{\"redirect_uris\":[\"http://127.0.0.1/callback\"]}");
        assertEquals(403, keycloaks.status(), () -> "Keycloak's endpoint keeps Trusted Hosts: " + keycloaks);
    }

    private TestRealm realm(String purpose) {
        TestRealm realm = TestRealm.copyOfTheTestRealm(server, root, purpose);
        realms.add(realm);
        return realm;
    }

    /** Adds Proxyme's policy to the realm's anonymous client registration policies, as an administrator does. */
    private void turnOn(TestRealm realm, List<String> scopes, List<String> portals, Map<String, String> more) {
        Map<String, List<String>> config = new LinkedHashMap<>();
        config.put(SelfRegistrationPolicy.SCOPES, scopes);
        config.put(SelfRegistrationPolicy.PORTALS, portals);
        more.forEach((key, value) -> config.put(key, List.of(value)));
        config.putIfAbsent(SelfRegistrationPolicy.REGISTRATIONS_PER_MINUTE, List.of("1000"));
        Reply created = createPolicy(realm, "anonymous", config);
        assertEquals(201, created.status(), created::toString);
    }

    private Reply createPolicy(TestRealm realm, String subType, Map<String, List<String>> config) {
        ProxymeClient client = realm.client();
        String parentId = client.get(client.adminUri(realm.name(), ""), bearer(client.rootToken()))
                .json()
                .get("id")
                .asText();
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("name", "Proxyme self-registration");
        component.put("providerId", SelfRegistrationPolicyFactory.PROVIDER_ID);
        component.put("providerType", POLICY_TYPE);
        component.put("parentId", parentId);
        component.put("subType", subType);
        component.put("config", config);
        return client.send(
                client.adminUri(realm.name(), "/components"),
                "POST",
                "application/json",
                ProxymeClient.json(component),
                bearer(client.rootToken()));
    }

    private static Reply register(ProxymeClient client, Map<String, Object> body) {
        return client.send(
                client.proxymeUri(client.realm(), "clients"), "POST", "application/json", ProxymeClient.json(body));
    }

    private static JsonNode clientRep(ProxymeClient client, String clientId) {
        return client.findClient(clientId).orElseThrow(() -> new AssertionError("no client " + clientId));
    }

    private static boolean exists(ProxymeClient client, String clientId) {
        return client.findClient(clientId).isPresent();
    }

    private static long clientCount(ProxymeClient client) {
        return client.get(client.adminUri(client.realm(), "/clients?max=1000"), bearer(client.rootToken()))
                .json()
                .size();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String queryParameter(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(name + " not in " + uri);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
