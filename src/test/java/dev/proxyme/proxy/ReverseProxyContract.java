package dev.proxyme.proxy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.DPoPKey;
import dev.proxyme.testsupport.EchoPortal;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;
import dev.proxyme.testsupport.ReverseProxy;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What any reverse proxy running a shipped configuration must do in front of a portal that echoes what it receives,
 * with Proxyme deciding: each proxy's IT runs these same tests against its real binary.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReverseProxyContract {

    private final KeycloakServer server;
    private final ProxymeClient client;
    private EchoPortal portal;
    private ReverseProxy proxy;
    private RegisteredAgent agent;

    ReverseProxyContract(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** Starts the proxy with the repository's shipped configuration for a portal of the test realm. */
    abstract ReverseProxy startProxy(
            KeycloakServer server, String realm, String portalClientId, String portalHostAndPort);

    /** This class's own portal: what its tests set on it (rules, resource URIs, attributes) reaches no other class. */
    private final String portalA = "proxied-" + Long.toString(System.nanoTime(), 36);

    @BeforeAll
    void startProxy() {
        portal = new EchoPortal();
        client.createPortal(portalA, "Portal A", PORTAL_A_RESOURCE);
        client.setPortalRoutes(
                portalA,
                "GET,HEAD /reports/* read; GET /billing write; GET /payouts/ write; GET /export.json write;"
                        + " * /admin/* write; POST /* write; * /* read");
        agent = client.registerAgent(List.of("read", "write"), List.of(portalA, "portal-b"));
        proxy = startProxy(server, REALM, portalA, portal.hostAndPort());
        client.setClientAttribute(portalA, "proxyme.resource", PORTAL_A_RESOURCE + " " + proxy.uri("/reports"));
    }

    @AfterAll
    void stopProxy() {
        proxy.close();
        portal.close();
        client.deleteClient(portalA);
    }

    /** The portal's resource URI; the tests add the proxy's own for the portal's /reports. */
    private static final String PORTAL_A_RESOURCE = "https://proxied-portal.example/";

    /**
     * A task envelope, enforced by the proxy: only its routes, only in its window, and no more calls than its budget;
     * a refused call does not count. The agent can tell why and step up.
     */
    @Test
    void anEnvelopeLimitsRoutesTimeAndTheNumberOfCalls() {
        String token = client.proxyme(
                        "delegate",
                        BACKEND,
                        Map.of(
                                "username",
                                "alice",
                                "agent_id",
                                agent.clientId(),
                                "scopes",
                                List.of("read"),
                                "portal",
                                portalA,
                                "envelope",
                                Map.of("budget", 3, "routes", List.of("GET,HEAD /reports/*"))))
                .text("delegation_token");
        Reply outside = through("GET", "/status", Map.of("Authorization", bearer(token)));
        assertEquals(403, outside.status(), () -> "the portal's rules allow it, the envelope does not: " + outside);
        assertTrue(
                outside.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"),
                outside::toString);
        for (int call = 1; call <= 3; call++) {
            Reply passed = through("GET", "/reports/" + call, Map.of("Authorization", bearer(token)));
            assertEquals(200, passed.status(), passed::toString);
        }
        Reply spent = through("GET", "/reports/4", Map.of("Authorization", bearer(token)));
        assertEquals(403, spent.status(), spent::toString);
        assertTrue(
                spent.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"insufficient_scope\""),
                spent::toString);
        JsonNode envelope =
                client.introspect(token, portalA, portalA + "-secret").get("envelope");
        assertEquals(3, envelope.get("budget").asInt(), envelope::toString);
        assertEquals(3, envelope.get("used").asInt(), "the refused calls did not count: " + envelope);
        assertEquals(
                List.of("GET,HEAD /reports/*"), ProxymeClient.JSON.convertValue(envelope.get("routes"), List.class));

        long now = System.currentTimeMillis() / 1000;
        String later = client.proxyme(
                        "delegate",
                        BACKEND,
                        Map.of(
                                "username",
                                "bob",
                                "agent_id",
                                agent.clientId(),
                                "scopes",
                                List.of("read"),
                                "portal",
                                portalA,
                                "expires_in",
                                4 * 3600,
                                "envelope",
                                Map.of("not_before", now + 3600, "not_after", now + 7200)))
                .text("delegation_token");
        Reply early = through("GET", "/reports/1", Map.of("Authorization", bearer(later)));
        assertEquals(403, early.status(), () -> "before the window opens: " + early);
        Reply never = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "username",
                        "bob",
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        portalA,
                        "expires_in",
                        3600,
                        "envelope",
                        Map.of("not_before", now + 7200)));
        assertEquals(400, never.status(), () -> "a window that opens after the delegation ends: " + never);
        assertEquals("invalid_request", never.text("error"), never::toString);
    }

    /**
     * DPoP (RFC 9449): a delegation the agent renewed with a proof is bound to its key; the proxy passes its token only
     * with a fresh proof of that key for this very request. A stolen bound token without the key is useless.
     */
    @Test
    void aDpopBoundTokenPassesOnlyWithAFreshProofOfItsKey() {
        DPoPKey key = new DPoPKey();
        String userId = client.createUser(true);
        Reply unbound = client.proxyme(
                "delegate",
                BACKEND,
                Map.of("user_id", userId, "agent_id", agent.clientId(), "scopes", List.of("read"), "portal", portalA));
        String delegationId = unbound.text("delegation_id");
        String beforeBinding = unbound.text("delegation_token");
        assertEquals(
                200,
                through("GET", "/reports/1", Map.of("Authorization", bearer(beforeBinding)))
                        .status());
        URI delegate = client.proxymeUri(REALM, "delegate");
        String body = ProxymeClient.json(Map.of("delegation_id", delegationId));
        Reply bound = client.request(
                delegate,
                "POST",
                "application/json",
                body,
                Map.of("Authorization", agent.basicAuth(), "DPoP", key.proof("POST", delegate.toString())));
        assertEquals(200, bound.status(), bound::toString);
        assertEquals("DPoP", bound.text("token_type"));
        String token = bound.text("delegation_token");
        assertEquals(
                key.thumbprint(),
                ProxymeClient.claims(token).get("cnf").get("jkt").asText());
        String url = proxy.uri("/reports/1").toString();

        Reply passed = through(
                "GET",
                "/reports/1?month=11",
                Map.of("Authorization", "DPoP " + token, "DPoP", key.proof("GET", url, token)));
        assertEquals(200, passed.status(), passed::toString);
        assertEquals(userId, passed.json().get("headers").get("x-proxyme-user").asText());

        String proof = key.proof("GET", url, token);
        assertEquals(
                200,
                through("GET", "/reports/1", Map.of("Authorization", "DPoP " + token, "DPoP", proof))
                        .status());
        Map<String, Map<String, String>> refused = new java.util.LinkedHashMap<>();
        refused.put("the same proof again", Map.of("Authorization", "DPoP " + token, "DPoP", proof));
        refused.put("as a bearer token", Map.of("Authorization", bearer(token)));
        refused.put("without a proof", Map.of("Authorization", "DPoP " + token));
        refused.put(
                "a proof for another URL",
                Map.of(
                        "Authorization",
                        "DPoP " + token,
                        "DPoP",
                        key.proof("GET", proxy.uri("/reports/2").toString(), token)));
        refused.put(
                "a proof for another method",
                Map.of("Authorization", "DPoP " + token, "DPoP", key.proof("POST", url, token)));
        refused.put(
                "a proof by another key",
                Map.of("Authorization", "DPoP " + token, "DPoP", new DPoPKey().proof("GET", url, token)));
        refused.put("a proof for no token", Map.of("Authorization", "DPoP " + token, "DPoP", key.proof("GET", url)));
        refused.put(
                "a stale proof",
                Map.of(
                        "Authorization",
                        "DPoP " + token,
                        "DPoP",
                        key.proof("GET", url, token, System.currentTimeMillis() / 1000 - 600)));
        for (Map.Entry<String, Map<String, String>> attempt : refused.entrySet()) {
            Reply reply = through("GET", "/reports/1", attempt.getValue());
            assertEquals(401, reply.status(), () -> attempt.getKey() + ": " + reply);
            assertTrue(
                    reply.headers().firstValue("WWW-Authenticate").orElse("").startsWith("DPoP algs="),
                    () -> attempt.getKey() + ": " + reply);
        }
        // A proof identifier is good once at the proxy, whatever URL a proof with it names.
        String jti = java.util.UUID.randomUUID().toString();
        long now = System.currentTimeMillis() / 1000;
        assertEquals(
                200,
                through(
                                "GET",
                                "/reports/1",
                                Map.of(
                                        "Authorization",
                                        "DPoP " + token,
                                        "DPoP",
                                        key.proof("GET", url, token, now, jti)))
                        .status());
        Reply sameJti = through(
                "GET",
                "/reports/2",
                Map.of(
                        "Authorization",
                        "DPoP " + token,
                        "DPoP",
                        key.proof("GET", proxy.uri("/reports/2").toString(), token, now, jti)));
        assertEquals(401, sameJti.status(), () -> "the same jti for another URL: " + sameJti);
        // A proof made for another server, presented with that server's name as Host: not this portal's origin.
        String elsewhere = "http://elsewhere.example/reports/1";
        Reply foreign = client.request(
                client.proxymeUri(REALM, "proxy/check"),
                "GET",
                null,
                null,
                ProxymeClient.proxyHeaders(
                        portalA,
                        Map.of(
                                "X-Forwarded-Method",
                                "GET",
                                "X-Forwarded-Uri",
                                "/reports/1",
                                "X-Forwarded-Host",
                                "elsewhere.example",
                                "X-Forwarded-Proto",
                                "http",
                                "Authorization",
                                "DPoP " + token,
                                "DPoP",
                                key.proof("GET", elsewhere, token))));
        assertEquals(401, foreign.status(), () -> "a proof for another origin: " + foreign);
        // Bound now: the token issued before the binding ends with it, at the proxy and at introspection alike.
        assertEquals(
                401,
                through("GET", "/reports/1", Map.of("Authorization", bearer(beforeBinding)))
                        .status());
        assertFalse(client.introspect(beforeBinding, portalA, portalA + "-secret")
                .get("active")
                .asBoolean());

        Reply unboundRenewal =
                client.request(delegate, "POST", "application/json", body, Map.of("Authorization", agent.basicAuth()));
        assertEquals(400, unboundRenewal.status(), unboundRenewal::toString);
        assertEquals("invalid_dpop_proof", unboundRenewal.text("error"), "the delegation is bound: no proof, no token");
        Reply otherKey = client.request(
                delegate,
                "POST",
                "application/json",
                body,
                Map.of("Authorization", agent.basicAuth(), "DPoP", new DPoPKey().proof("POST", delegate.toString())));
        assertEquals("invalid_dpop_proof", otherKey.text("error"), otherKey::toString);
        Reply cookie = client.request(
                proxy.uri("/.proxyme/session"),
                "POST",
                "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                Map.of());
        assertEquals(400, cookie.status(), () -> "a bound token never becomes a cookie: " + cookie);
    }

    /**
     * The portal as an OAuth protected resource (RFC 9728; MCP authorization): a refusal says where the resource's
     * metadata is and which scope the route needs; the proxy serves the metadata at the path-suffixed well-known URL,
     * naming the realm as the authorization server; a token short of the route's scope gets the scopes to ask for.
     */
    @Test
    void theProxyIsAProtectedResourceThatTellsClientsWhereToAuthorize() {
        String metadataUrl =
                proxy.uri("/.well-known/oauth-protected-resource/reports").toString();
        Reply unauthorized = through("GET", "/reports/1", Map.of());
        String challenge = unauthorized.headers().firstValue("WWW-Authenticate").orElse("");
        assertEquals(401, unauthorized.status(), unauthorized::toString);
        assertTrue(challenge.contains("resource_metadata=\"" + metadataUrl + "\""), challenge);
        assertTrue(challenge.contains("scope=\"read\""), challenge);
        assertFalse(
                challenge.contains("error="),
                "no error code when no token was sent (RFC 6750 section 3.1): " + challenge);

        Reply metadata = client.get(URI.create(metadataUrl), null);
        assertEquals(200, metadata.status(), metadata::toString);
        assertEquals(
                proxy.uri("/reports").toString(), metadata.text("resource"), "the resource the URL was built from");
        assertEquals(
                List.of(server.realmUrl(REALM)),
                ProxymeClient.JSON.convertValue(metadata.json().get("authorization_servers"), List.class));
        assertEquals(
                List.of("read", "write"),
                ProxymeClient.JSON.convertValue(metadata.json().get("scopes_supported"), List.class));
        assertEquals(
                List.of("header"),
                ProxymeClient.JSON.convertValue(metadata.json().get("bearer_methods_supported"), List.class));
        assertEquals(
                404,
                client.get(proxy.uri("/.well-known/oauth-protected-resource"), null)
                        .status(),
                "the portal has no resource URI for the origin alone");
        assertEquals(
                404,
                client.get(proxy.uri("/.well-known/oauth-protected-resource/reportsX"), null)
                        .status());

        Reply elsewhere = through("GET", "/status", Map.of("Authorization", "Bearer not-a-token"));
        String rootChallenge =
                elsewhere.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(rootChallenge.contains("error=\"invalid_token\""), rootChallenge);
        assertTrue(
                rootChallenge.contains(
                        "resource_metadata=\"" + proxy.uri("/.well-known/oauth-protected-resource") + "\""),
                rootChallenge);

        String readOnly = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        Reply stepUp = through("POST", "/reports/1", Map.of("Authorization", bearer(readOnly)));
        assertEquals(403, stepUp.status(), stepUp::toString);
        String insufficient = stepUp.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(
                insufficient.contains("error=\"insufficient_scope\"") && insufficient.contains("scope=\"read write\""),
                "the scopes to ask for, the held one kept: " + insufficient);
    }

    @Test
    void withoutATokenTheProxyAnswers401() {
        Reply reply = through("GET", "/reports/1", Map.of());
        assertEquals(401, reply.status(), reply::toString);
        assertTrue(reply.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), reply::toString);
        Reply garbage = through("GET", "/reports/1", Map.of("Authorization", "Bearer not-a-token"));
        assertEquals(401, garbage.status());
        assertTrue(garbage.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
    }

    @Test
    void aValidTokenReachesThePortalWithTheUsersIdentity() throws Exception {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA);
        Reply reply = through(
                "GET",
                "/reports/1?month=11",
                Map.of(
                        "Authorization",
                        bearer(granted.text("delegation_token")),
                        "X-Proxyme-User",
                        "forged-user",
                        "X-Proxyme-Scopes",
                        "admin",
                        "X-Proxyme-Email",
                        "forged@example.org"));
        assertEquals(200, reply.status(), reply::toString);
        JsonNode headers = reply.json().get("headers");
        assertEquals("/reports/1?month=11", reply.json().get("uri").asText());
        assertEquals(
                client.userId("alice"), headers.get("x-proxyme-user").asText(), "forged identity headers are replaced");
        assertEquals("alice", headers.get("x-proxyme-username").asText());
        assertEquals("alice@example.org", headers.get("x-proxyme-email").asText());
        assertEquals(agent.clientId(), headers.get("x-proxyme-agent").asText());
        assertEquals("read", headers.get("x-proxyme-scopes").asText());
        assertEquals(
                granted.text("delegation_id"),
                headers.get("x-proxyme-delegation").asText());
        assertFalse(headers.has("x-proxyme-portal"));

        String assertion = headers.get("x-proxyme-assertion").asText();
        assertTrue(verifiesWithRealmKey(assertion), "the assertion is signed by the realm's key");
        JsonNode claims = ProxymeClient.JSON.readTree(
                Base64.getUrlDecoder().decode(assertion.split("\\.")[1]));
        assertEquals(portalA, claims.get("aud").asText());
        assertEquals(client.userId("alice"), claims.get("sub").asText());
        assertEquals(server.realmUrl(REALM), claims.get("iss").asText());
        assertTrue(claims.get("exp").asLong() - claims.get("iat").asLong() <= 60);
    }

    /**
     * What the agent did, as its user and an administrator see it: each request through the proxy under the
     * delegation, passed or refused, with method and path (no query, no token), and counts per route.
     */
    @Test
    void theUserAndAnAdministratorSeeWhatTheAgentDid() {
        // An envelope makes it a delegation of its own (never reused): only this test's requests are in its activity.
        Reply granted = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "username",
                        "bob",
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        portalA,
                        "envelope",
                        Map.of("budget", 100)));
        String token = granted.text("delegation_token");
        String delegationId = granted.text("delegation_id");
        assertEquals(
                200,
                through("GET", "/reports/7?secret=query", Map.of("Authorization", bearer(token)))
                        .status());
        assertEquals(
                200,
                through("GET", "/reports/7", Map.of("Authorization", bearer(token)))
                        .status());
        assertEquals(
                403,
                through("POST", "/reports/7", Map.of("Authorization", bearer(token)))
                        .status());
        assertEquals(
                401,
                through("GET", "/reports/7", Map.of("Authorization", "Bearer garbage"))
                        .status());

        JsonNode mine = client.get(
                        client.proxymeUri(REALM, "my/delegations/" + delegationId + "/activity"),
                        bearer(client.userToken("bob", "bob-password")))
                .json();
        JsonNode entries = mine.get("entries");
        // Requests to one route with one decision are one row with their count.
        assertEquals(2, entries.size(), mine::toString);
        JsonNode refused = entries.get(0).get("decision").asText().equals("refused") ? entries.get(0) : entries.get(1);
        JsonNode allowed = refused == entries.get(0) ? entries.get(1) : entries.get(0);
        assertEquals("POST", refused.get("method").asText());
        assertEquals(1, refused.get("count").asInt());
        assertTrue(refused.get("reason").asText().startsWith("insufficient_scope"), mine::toString);
        assertEquals("GET", allowed.get("method").asText());
        assertEquals(2, allowed.get("count").asInt(), mine::toString);
        assertEquals("/reports/7", allowed.get("path").asText(), "no query string");
        assertFalse(mine.toString().contains("secret=query") || mine.toString().contains(token), mine::toString);
        JsonNode counts = mine.get("counts");
        assertEquals("GET", counts.get(0).get("method").asText());
        assertEquals(2, counts.get(0).get("count").asInt(), counts::toString);

        long inAnHour = System.currentTimeMillis() + 3_600_000;
        JsonNode later = client.get(
                        client.proxymeUri(REALM, "my/delegations/" + delegationId + "/activity?from=" + inAnHour),
                        bearer(client.userToken("bob", "bob-password")))
                .json();
        assertEquals(0, later.get("entries").size(), later::toString);
        assertEquals(0, later.get("counts").size(), later::toString);
        JsonNode sinceGrant = client.get(
                        client.proxymeUri(
                                REALM,
                                "my/delegations/" + delegationId + "/activity?from=" + (inAnHour - 7_200_000) + "&to="
                                        + inAnHour),
                        bearer(client.userToken("bob", "bob-password")))
                .json();
        assertEquals(2, sinceGrant.get("entries").size(), sinceGrant::toString);

        JsonNode administrators = client.get(
                        client.adminUri(REALM, "/proxyme/delegations/" + delegationId + "/activity?max=1"),
                        bearer(client.rootToken()))
                .json();
        assertEquals(1, administrators.get("entries").size(), administrators::toString);
        assertFalse(administrators.get("entries").get(0).get("node").asText().isEmpty());
        Reply another = client.get(
                client.proxymeUri(REALM, "my/delegations/" + delegationId + "/activity"),
                bearer(client.userToken("alice", "alice-password")));
        assertEquals(404, another.status(), () -> "another user's delegation is unknown: " + another);

        // The most suspicious refusals are recorded too: a method override, a path parameter (without its value).
        assertEquals(
                403,
                through("GET", "/reports/7", Map.of("Authorization", bearer(token), "X-HTTP-Method-Override", "DELETE"))
                        .status());
        through("GET", "/reports/7;jsessionid=SECRET", Map.of("Authorization", bearer(token)));
        JsonNode after = client.get(
                        client.proxymeUri(REALM, "my/delegations/" + delegationId + "/activity"),
                        bearer(client.userToken("bob", "bob-password")))
                .json();
        assertTrue(after.toString().contains("X-HTTP-Method-Override"), after::toString);
        assertFalse(after.toString().contains("SECRET"), after::toString);
    }

    /**
     * Secrets in paths (a reset link, a capability link, a JWT, an API key after its name) are redacted in the activity
     * log; a portal that asks for routes only gets the rule each request matched, never its path.
     */
    @Test
    void theActivityLogKeepsNoSecretFoundInAPath() {
        Reply granted = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "username",
                        "bob",
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        portalA,
                        "envelope",
                        Map.of("budget", 100)));
        String token = granted.text("delegation_token");
        String bobs = bearer(client.userToken("bob", "bob-password"));
        String otherJwt = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        List<String> secrets = List.of(
                "Zx81kPq2Lm09Ab7Tq4",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                otherJwt,
                "s3cr3tv4lue",
                "0123456789abcdefXYZ");
        for (String path : List.of(
                "/reports/reset/Zx81kPq2Lm09Ab7Tq4",
                "/reports/share/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "/reports/x/" + otherJwt,
                "/reports/api-key/s3cr3tv4lue",
                "/reports/token=0123456789abcdefXYZ")) {
            assertEquals(
                    200,
                    through("GET", path, Map.of("Authorization", bearer(token))).status(),
                    path);
        }
        assertEquals(
                200,
                through("GET", "/reports/2026-11/invoice-4711", Map.of("Authorization", bearer(token)))
                        .status());
        JsonNode logged = client.get(
                        client.proxymeUri(REALM, "my/delegations/" + granted.text("delegation_id") + "/activity"), bobs)
                .json();
        for (String secret : secrets) {
            assertFalse(logged.toString().contains(secret), () -> "redacted: " + secret + " in " + logged);
        }
        assertTrue(logged.toString().contains("/reports/reset/[redacted]"), logged::toString);
        assertTrue(logged.toString().contains("/reports/token=[redacted]"), logged::toString);
        assertTrue(
                logged.toString().contains("/reports/2026-11/invoice-4711"),
                () -> "what the agent did stays readable: " + logged);

        client.setClientAttribute(portalA, "proxyme.activity", "routes");
        try {
            Reply routesOnly = client.proxyme(
                    "delegate",
                    BACKEND,
                    Map.of(
                            "username",
                            "bob",
                            "agent_id",
                            agent.clientId(),
                            "scopes",
                            List.of("read"),
                            "portal",
                            portalA,
                            "envelope",
                            Map.of("budget", 100)));
            assertEquals(
                    200,
                    through(
                                    "GET",
                                    "/reports/weird-secret-shape",
                                    Map.of("Authorization", bearer(routesOnly.text("delegation_token"))))
                            .status());
            assertEquals(
                    403,
                    through(
                                    "POST",
                                    "/admin/users",
                                    Map.of("Authorization", bearer(routesOnly.text("delegation_token"))))
                            .status());
            JsonNode routes = client.get(
                            client.proxymeUri(
                                    REALM, "my/delegations/" + routesOnly.text("delegation_id") + "/activity"),
                            bobs)
                    .json();
            assertFalse(
                    routes.toString().contains("weird-secret-shape")
                            || routes.toString().contains("/admin/users"),
                    routes::toString);
            assertTrue(routes.toString().contains("\"/reports/*\""), routes::toString);
            assertTrue(routes.toString().contains("\"/admin/*\""), routes::toString);
        } finally {
            client.setClientAttribute(portalA, "proxyme.activity", "");
        }
    }

    /**
     * Letter case: many portals route {@code /Admin/users} as {@code /admin/users}, so the path needs what every reading
     * of it needs. Only a portal that says its paths are case-sensitive has the exact case judged alone.
     */
    @Test
    void aPathInAnotherLetterCaseNeedsWhatEveryReadingNeeds() {
        String read = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        String both = client.delegateAsBackend("bob", agent.clientId(), List.of("read", "write"), portalA)
                .text("delegation_token");
        for (String path : List.of("/Admin/users", "/ADMIN/users", "/%41dmin/users", "/aDmin", "/adm%C4%B1n/users")) {
            // (a dotless ı upper-cases to I: ASP.NET's case-insensitive comparison reads /admın as /ADMIN)
            int before = portal.received().size();
            Reply refused = through("GET", path, Map.of("Authorization", bearer(read)));
            assertEquals(403, refused.status(), path + ": " + refused);
            assertTrue(
                    refused.headers().firstValue("WWW-Authenticate").orElse("").contains("write"),
                    () -> path + " names the scope: " + refused);
            assertEquals(before, portal.received().size(), path + " never reaches the portal");
            assertEquals(
                    200,
                    through("GET", path, Map.of("Authorization", bearer(both))).status(),
                    path + " with both scopes");
        }
        assertEquals(
                200,
                through("GET", "/Reports/1", Map.of("Authorization", bearer(read)))
                        .status(),
                "no stricter rule: control");
        String enveloped = client.proxyme(
                        "delegate",
                        BACKEND,
                        Map.of(
                                "username",
                                "bob",
                                "agent_id",
                                agent.clientId(),
                                "scopes",
                                List.of("read"),
                                "portal",
                                portalA,
                                "envelope",
                                Map.of("routes", List.of("GET /reports/*"))))
                .text("delegation_token");
        assertEquals(
                200,
                through("GET", "/reports/1", Map.of("Authorization", bearer(enveloped)))
                        .status(),
                "control");
        for (String path : List.of("/REPORTS/1", "/Reports/1", "/%52eports/1")) {
            assertEquals(
                    403,
                    through("GET", path, Map.of("Authorization", bearer(enveloped)))
                            .status(),
                    path + ": an envelope's routes are an allow list, as written");
        }
        client.setClientAttribute(portalA, "proxyme.caseSensitivePaths", "true");
        try {
            assertEquals(
                    200,
                    through("GET", "/Admin/users", Map.of("Authorization", bearer(read)))
                            .status(),
                    "a case-sensitive portal's /Admin is not /admin");
            assertEquals(
                    403,
                    through("GET", "/admin/users", Map.of("Authorization", bearer(read)))
                            .status());
        } finally {
            client.setClientAttribute(portalA, "proxyme.caseSensitivePaths", "");
        }
    }

    /** What the request was is the proxy's to say: a client's X-Forwarded-* never reach the portal as it sent them. */
    @Test
    void theClientsForwardedHeadersNeverReachThePortal() {
        String token = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        Reply reply = through(
                "GET",
                "/reports/1",
                Map.of(
                        "Authorization",
                        bearer(token),
                        "X-Forwarded-Uri",
                        "/admin/x",
                        "X-Forwarded-Method",
                        "DELETE",
                        "X-Forwarded-Host",
                        "evil.example",
                        "X-Forwarded-Proto",
                        "gopher",
                        "X-Forwarded-For",
                        "203.0.113.7",
                        "Forwarded",
                        "for=203.0.113.7",
                        "X-Real-IP",
                        "203.0.113.7",
                        "X-Forwarded-Prefix",
                        "/admin",
                        "X-Original-Method",
                        "DELETE"));
        assertEquals(200, reply.status(), reply::toString);
        JsonNode headers = reply.json().get("headers");
        assertFalse(headers.toString().contains("203.0.113.7"), () -> "the client's address claims: " + headers);
        assertFalse(headers.has("x-forwarded-prefix") || headers.has("x-original-method"), headers::toString);
        assertFalse(headers.path("x-forwarded-uri").asText().contains("/admin"), headers::toString);
        assertFalse(headers.path("x-forwarded-method").asText().contains("DELETE"), headers::toString);
        assertFalse(headers.path("x-forwarded-host").asText().contains("evil"), headers::toString);
        assertFalse(headers.path("x-forwarded-proto").asText().contains("gopher"), headers::toString);
        Reply unauthorized = through("GET", "/reports/1", Map.of());
        assertEquals(1, unauthorized.headers().allValues("WWW-Authenticate").size(), unauthorized::toString);
    }

    /**
     * A proxy drops the headers a client names in {@code Connection} (hop-by-hop); naming Proxyme's would strip the
     * user's identity from the portal's request after the check set it. The request is refused, or the portal gets
     * every identity header all the same: never the request without them.
     */
    @Test
    void aConnectionHeaderCannotTakeTheIdentityAway() throws Exception {
        String token = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        for (String connection : List.of(
                "X-Proxyme-User, X-Proxyme-Assertion, X-Proxyme-Scopes, close",
                "close, x-proxyme-agent",
                "X-PROXYME-DELEGATION,close")) {
            String[] response = rawRequest("GET /reports/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: " + connection + "\r\n\r\n");
            int status = Integer.parseInt(response[0].split(" ")[1]);
            if (status == 200) {
                JsonNode headers = ProxymeClient.JSON
                        .readTree(response[1].substring(response[1].indexOf('{')))
                        .get("headers");
                for (String header : List.of(
                        "x-proxyme-user",
                        "x-proxyme-assertion",
                        "x-proxyme-scopes",
                        "x-proxyme-agent",
                        "x-proxyme-delegation")) {
                    assertTrue(headers.has(header), () -> connection + ": " + header + " missing from " + headers);
                }
            } else {
                assertEquals(400, status, () -> connection + ": " + String.join("\n", response));
            }
        }
    }

    /** One HTTP/1.1 exchange on a socket (headers the JDK's client will not send); the status line and the rest. */
    private String[] rawRequest(String request) throws IOException {
        URI uri = proxy.uri("/");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int endOfStatus = response.indexOf("\r\n");
            return new String[] {response.substring(0, endOfStatus), response.substring(endOfStatus + 2)};
        }
    }

    @Test
    void aUserWithoutEmailGetsNoEmailHeaderEvenIfTheClientSendsOne() {
        String userId = client.createUser(false);
        Reply granted = client.proxyme(
                "delegate",
                BACKEND,
                Map.of("user_id", userId, "agent_id", agent.clientId(), "scopes", List.of("read"), "portal", portalA));
        Reply reply = through(
                "GET",
                "/reports/1",
                Map.of(
                        "Authorization",
                        bearer(granted.text("delegation_token")),
                        "X-Proxyme-Email",
                        "forged@example.org"));
        assertEquals(200, reply.status(), reply::toString);
        assertFalse(reply.json().get("headers").has("x-proxyme-email"), reply::toString);
    }

    @Test
    void aTokenForAnotherPortalOrARouteBeyondItsScopesIsForbidden() {
        Reply forB = client.delegateAsBackend("bob", agent.clientId(), List.of("read", "write"), "portal-b");
        Reply other = through("GET", "/reports/1", Map.of("Authorization", bearer(forB.text("delegation_token"))));
        assertEquals(403, other.status(), other::toString);
        assertTrue(other.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"));

        String readOnly = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        assertEquals(
                403,
                through("POST", "/reports/1", Map.of("Authorization", bearer(readOnly)))
                        .status(),
                "POST needs write");
        assertEquals(
                200,
                through("GET", "/reports/1", Map.of("Authorization", bearer(readOnly)))
                        .status());
        assertEquals(
                403,
                through("GET", "/reports/../admin", Map.of("Authorization", bearer(readOnly)))
                        .status());
    }

    @Test
    void aCookieSessionWorksAndRevocationBitesOnTheNextRequest() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA);
        String token = granted.text("delegation_token");
        Reply session = client.request(
                proxy.uri("/.proxyme/session"),
                "POST",
                "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                Map.of());
        assertEquals(200, session.status(), session::toString);
        String setCookie = session.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie.startsWith("__Host-proxyme_session="), setCookie);
        for (String flag : List.of("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=")) {
            assertTrue(setCookie.contains(flag), flag + " in " + setCookie);
        }
        long maxAge = Long.parseLong(setCookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertTrue(maxAge > 0 && maxAge <= 300, "the cookie never outlives the token: " + maxAge);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertEquals(200, through("GET", "/reports/1", Map.of("Cookie", cookie)).status());
        assertEquals(
                200, client.revokeById(BACKEND, granted.text("delegation_id")).status());
        assertEquals(401, through("GET", "/reports/1", Map.of("Cookie", cookie)).status(), "revoked: refused at once");
        assertEquals(
                401,
                through("GET", "/reports/1", Map.of("Authorization", bearer(token)))
                        .status());
    }

    @Test
    void logoutRevokesTheDelegationAndClearsTheCookie() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA);
        String cookie = "__Host-proxyme_session=" + granted.text("delegation_token");
        assertEquals(200, through("GET", "/reports/1", Map.of("Cookie", cookie)).status());

        Reply logout = client.request(proxy.uri("/.proxyme/logout"), "POST", null, null, Map.of("Cookie", cookie));
        assertEquals(200, logout.status(), logout::toString);
        String cleared = logout.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cleared.startsWith("__Host-proxyme_session=;") && cleared.contains("Max-Age=0"), cleared);
        assertEquals(401, through("GET", "/reports/1", Map.of("Cookie", cookie)).status());
        assertFalse(client.introspect(granted.text("delegation_token"), portalA, portalA + "-secret")
                .get("active")
                .asBoolean());
        JsonNode trail = client.get(
                        client.adminUri(REALM, "/proxyme/delegations/" + granted.text("delegation_id")),
                        bearer(client.rootToken()))
                .json();
        assertEquals(
                "proxy_logout",
                trail.get("delegation").get("end_reason").asText(),
                "the audit records the session's end");
    }

    /**
     * A read token never reaches what needs write, however the path is spelled: every spelling a portal could read
     * as another path is refused before the portal sees it (by Proxyme, 403, or by the proxy itself, 400).
     */
    @Test
    void noSpellingOfAPathTakesAReadTokenWhereWriteIsNeeded() {
        String read = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        String write = client.delegateAsBackend("alice", agent.clientId(), List.of("write"), portalA)
                .text("delegation_token");
        assertEquals(
                403,
                through("GET", "/admin/users", Map.of("Authorization", bearer(read)))
                        .status(),
                "control");
        Reply escaped = through("GET", "/%61dmin/users", Map.of("Authorization", bearer(write)));
        assertEquals(200, escaped.status(), "an escaped letter is the same path, for the scope it needs: " + escaped);
        assertEquals("/admin/users", escaped.json().get("path").asText(), "the portal reads it as /admin/users");
        assertEquals(
                403,
                through("GET", "/%61dmin/users", Map.of("Authorization", bearer(read)))
                        .status());

        for (String path : CanonicalPathTest.AMBIGUOUS) {
            URI uri;
            try {
                // Raw non-ASCII would be sent percent-encoded, as the legitimate path it then is.
                uri = path.startsWith("/") && path.chars().allMatch(c -> c < 0x80) ? proxy.uri(path) : null;
            } catch (IllegalArgumentException notSendable) {
                uri = null;
            }
            if (uri == null) {
                continue; // no HTTP client sends it: CanonicalPathTest holds the check to it
            }
            int before = portal.received().size();
            Reply reply = client.request(uri, "GET", null, null, Map.of("Authorization", bearer(read)));
            assertTrue(reply.status() == 403 || reply.status() == 400, path + ": " + reply);
            assertEquals(before, portal.received().size(), path + " never reaches the portal");
        }
    }

    /** Frameworks that honour a method or URL override would serve another request than the one the rules judged. */
    @Test
    void methodAndUrlOverridesAreRefused() {
        String read = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        for (Map.Entry<String, String> override : Map.of(
                        "X-HTTP-Method-Override",
                        "DELETE",
                        "X-HTTP-Method",
                        "DELETE",
                        "X-Method-Override",
                        "PUT",
                        "X-Original-URL",
                        "/admin/users",
                        "X-Rewrite-URL",
                        "/admin/users",
                        "X-Original-URI",
                        "/admin/users")
                .entrySet()) {
            int before = portal.received().size();
            Reply reply = through(
                    "GET", "/reports/1", Map.of("Authorization", bearer(read), override.getKey(), override.getValue()));
            assertEquals(403, reply.status(), override + ": " + reply);
            assertEquals(before, portal.received().size(), override + " never reaches the portal");
        }
        assertEquals(
                403,
                through("GET", "/reports/1?_method=DELETE", Map.of("Authorization", bearer(read)))
                        .status());
        assertEquals(
                403,
                through("GET", "/reports/1?x=1&_METHOD=put", Map.of("Authorization", bearer(read)))
                        .status());
        assertEquals(
                200,
                through("GET", "/reports/1?method=x", Map.of("Authorization", bearer(read)))
                        .status(),
                "control");
    }

    /**
     * {@code _method} as the portal's framework reads a query's names (PHP's renaming, {@code ;} as a separator,
     * escapes, a NUL, any case) and override headers spelled with underscores (CGI joins {@code _} and {@code -}):
     * a read token never gets its POST served as the DELETE the rules reserve for write.
     */
    @Test
    void everySpellingOfAMethodOverrideIsRefused() {
        String read = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        for (String query : List.of(
                "%5Fmethod=DELETE",
                "%5fmethod=DELETE",
                ".method=DELETE",
                "%20_method=DELETE",
                "x=1;_method=DELETE",
                "_method%00=DELETE",
                "_method%5B%5D=DELETE",
                "%5Bmethod=DELETE",
                "_MeThOd=DELETE",
                "%255Fmethod=DELETE",
                "+_method=DELETE")) {
            int before = portal.received().size();
            Reply reply = through("GET", "/reports/1?" + query, Map.of("Authorization", bearer(read)));
            assertEquals(403, reply.status(), query + ": " + reply);
            assertEquals(before, portal.received().size(), query + " never reaches the portal");
        }
        for (String header : List.of("X_HTTP_Method_Override", "x-http-method-override", "X_Original_URL")) {
            Reply reply = through("GET", "/reports/1", Map.of("Authorization", bearer(read), header, "DELETE"));
            // nginx drops headers with underscores before anyone sees them; whoever passes one on must refuse it.
            boolean reachedPortal =
                    reply.status() == 200 && reply.json().get("headers").has(header.toLowerCase());
            assertTrue(reply.status() == 403 || reply.status() == 200 && !reachedPortal, header + ": " + reply);
        }
        assertEquals(
                200,
                through("GET", "/reports/1?methods=x&x_method=y", Map.of("Authorization", bearer(read)))
                        .status(),
                "control");
    }

    /**
     * Headers a portal could take for the proxy's own under another spelling (CGI and PHP read {@code X.Proxyme.User}
     * and {@code X_Proxyme_User} as {@code X-Proxyme-User}): whatever the proxy passes on, the check refuses, so the
     * portal never reads an identity or an override the client wrote.
     */
    @Test
    void headersAPortalCouldTakeForTheProxysOwnNeverReachIt() {
        String read = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        for (String header : List.of(
                "X.Proxyme.User",
                "X_Proxyme_User",
                "X-Proxyme_Username",
                "X.HTTP.Method.Override",
                "X_Forwarded_Host",
                "X.Forwarded.Uri")) {
            int before = portal.received().size();
            Reply reply = through("GET", "/reports/1", Map.of("Authorization", bearer(read), header, "evil"));
            // nginx drops names with '_' and '.' itself; Caddy passes them to the check, which refuses them.
            assertTrue(
                    reply.status() == 403
                            || reply.status() == 200
                                    && !reply.json().get("headers").has(header.toLowerCase()),
                    header + ": " + reply);
            if (reply.status() == 403) {
                assertEquals(before, portal.received().size(), header + " never reaches the portal");
            }
        }
        Reply unknown = through("GET", "/reports/1", Map.of("Authorization", bearer(read), "X-Proxyme-Tenant", "evil"));
        // Caddy strips every X-Proxyme-* name a client sends; nginx passes it to the check, which refuses it.
        assertTrue(
                unknown.status() == 403
                        || unknown.status() == 200
                                && !unknown.json().get("headers").has("x-proxyme-tenant"),
                () -> "no header of Proxyme's reaches the portal: " + unknown);
    }

    /**
     * Routers that ignore a trailing slash or a format suffix serve {@code /billing/} and {@code /admin.json} as the
     * stricter routes, and read their route templates the same way: {@code /payouts} is the route written
     * {@code /payouts/}, {@code /export} the one written {@code /export.json}; Spring's suffix matching serves
     * {@code /admin.x.json} as {@code /admin}.
     */
    @Test
    void aTrailingSlashOrAFormatSuffixNeedsWhatThePathWithoutItNeeds() {
        String read = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        String both = client.delegateAsBackend("bob", agent.clientId(), List.of("read", "write"), portalA)
                .text("delegation_token");
        for (String path : List.of(
                "/billing/",
                "/Billing/",
                "/billing.json",
                "/admin.json",
                "/admin/users.xml",
                "/payouts",
                "/Payouts",
                "/payouts.json",
                "/export",
                "/export.csv",
                "/admin.x.json",
                "/billing.tar.gz")) {
            assertEquals(
                    403,
                    through("GET", path, Map.of("Authorization", bearer(read))).status(),
                    path);
            assertEquals(
                    200,
                    through("GET", path, Map.of("Authorization", bearer(both))).status(),
                    path + " with both");
        }
        assertEquals(
                200,
                through("GET", "/reports/2026.pdf", Map.of("Authorization", bearer(read)))
                        .status(),
                "control");
    }

    /** A second session cookie (tossed by a sibling subdomain, say) makes the request ambiguous: refused. */
    @Test
    void twoSessionCookiesAreRefused() {
        String alices = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        String bobs = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), portalA)
                .text("delegation_token");
        assertEquals(
                200,
                through("GET", "/reports/1", Map.of("Cookie", "__Host-proxyme_session=" + alices))
                        .status(),
                "control");
        Reply two = through(
                "GET",
                "/reports/1",
                Map.of("Cookie", "__Host-proxyme_session=" + alices + "; __Host-proxyme_session=" + bobs));
        assertEquals(401, two.status(), two::toString);
        Reply legacy = through("GET", "/reports/1", Map.of("Cookie", "proxyme_session=" + alices));
        assertEquals(401, legacy.status(), "a cookie without the __Host- prefix is no session: " + legacy);
    }

    /** Login CSRF: another site's form must not plant its token as the session of the agent's browser. */
    @Test
    void sessionAndLogoutFormsFromAnotherSiteAreRefused() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portalA);
        String token = granted.text("delegation_token");
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String portalOrigin = "http://" + proxy.uri("/").getAuthority();
        for (Map<String, String> crossSite : List.of(
                Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"),
                Map.of("Origin", "null", "Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "same-site"),
                Map.of("Origin", "null"),
                Map.of("Origin", portalOrigin, "Sec-Fetch-Site", "cross-site"),
                Map.of("Origin", "http://127.0.0.1:1"))) {
            Reply session = client.request(
                    proxy.uri("/.proxyme/session"), "POST", "application/x-www-form-urlencoded", form, crossSite);
            assertEquals(403, session.status(), crossSite + ": " + session);
            assertFalse(session.headers().firstValue("Set-Cookie").isPresent(), crossSite + " plants no cookie");
            Reply logout = client.request(
                    proxy.uri("/.proxyme/logout"),
                    "POST",
                    null,
                    null,
                    withCookie(crossSite, "__Host-proxyme_session=" + token));
            assertEquals(403, logout.status(), crossSite + ": " + logout);
        }
        assertTrue(client.isActive(token, portalA), "no cross-site logout ended the delegation");
        Reply sameOrigin = client.request(
                proxy.uri("/.proxyme/session"),
                "POST",
                "application/x-www-form-urlencoded",
                form,
                Map.of("Origin", portalOrigin, "Sec-Fetch-Site", "same-origin"));
        assertEquals(200, sameOrigin.status(), "the portal's own page: " + sameOrigin);
        Reply agentItself = client.request(
                proxy.uri("/.proxyme/session"), "POST", "application/x-www-form-urlencoded", form, Map.of());
        assertEquals(200, agentItself.status(), "a client that is no browser sends neither header: " + agentItself);
    }

    private static Map<String, String> withCookie(Map<String, String> headers, String cookie) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Cookie", cookie);
        return all;
    }

    private Reply through(String method, String path, Map<String, String> headers) {
        return client.request(
                proxy.uri(path),
                method,
                method.equals("POST") ? "application/json" : null,
                method.equals("POST") ? "{}" : null,
                headers);
    }

    private boolean verifiesWithRealmKey(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        JsonNode header = ProxymeClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode jwks = client.get(URI.create(server.realmUrl(REALM) + "/protocol/openid-connect/certs"), null)
                .json();
        for (JsonNode key : jwks.get("keys")) {
            if (key.get("kid").asText().equals(header.get("kid").asText())) {
                PublicKey publicKey = KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(
                                new BigInteger(
                                        1,
                                        Base64.getUrlDecoder()
                                                .decode(key.get("n").asText())),
                                new BigInteger(
                                        1,
                                        Base64.getUrlDecoder()
                                                .decode(key.get("e").asText()))));
                Signature rs256 = Signature.getInstance("SHA256withRSA");
                rs256.initVerify(publicKey);
                rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
            }
        }
        return false;
    }
}
