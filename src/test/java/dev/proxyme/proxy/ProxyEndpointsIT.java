package dev.proxyme.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertOAuthError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Proxyme's proxy endpoints called directly, as a misconfigured or hostile proxy could. */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyEndpointsIT {

    private final ProxymeClient client;
    private RegisteredAgent agent;

    ProxyEndpointsIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeAll
    void registerAgent() {
        agent = client.registerAgent(List.of("read", "write"), List.of("portal-a", "portal-b"));
    }

    @Test
    void theCheckEndpointAnswersBadRequestsInOAuthShape() {
        URI check = client.proxymeUri(REALM, "proxy/check");
        Reply noPortal = client.request(check, "GET", null, null, Map.of());
        assertEquals(400, noPortal.status(), noPortal::toString);
        assertEquals("invalid_request", noPortal.text("error"));
        Reply notAPortal = client.request(check, "GET", null, null, Map.of("X-Proxyme-Portal", "backend"));
        assertEquals(400, notAPortal.status());
        Reply noToken = client.request(check, "GET", null, null, ProxymeClient.proxyHeaders("portal-a", Map.of()));
        assertEquals(401, noToken.status());
        assertEquals(
                "Bearer realm=\"proxyme-it\"",
                noToken.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    /** A header sent twice would make the request mean two things (JAX-RS would join them with a comma). */
    @Test
    void aRepeatedDecidingHeaderIsRefused() {
        URI check = client.proxymeUri(REALM, "proxy/check");
        String token = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_token");
        List<Map.Entry<String, String>> base = List.of(
                Map.entry("X-Proxyme-Portal", "portal-a"),
                Map.entry("X-Proxyme-Portal-Secret", "portal-a-secret"),
                Map.entry("Authorization", "Bearer " + token),
                Map.entry("X-Forwarded-Method", "GET"),
                Map.entry("X-Forwarded-Uri", "/reports/1"));
        assertEquals(200, client.requestWithHeaders(check, "GET", base).status(), "control");
        for (String repeated : List.of(
                "X-Forwarded-Uri",
                "X-Forwarded-Method",
                "X-Proxyme-Portal",
                "X-Proxyme-Portal-Secret",
                "Authorization")) {
            List<Map.Entry<String, String>> headers = new java.util.ArrayList<>(base);
            base.stream()
                    .filter(header -> header.getKey().equals(repeated))
                    .findFirst()
                    .ifPresent(headers::add);
            Reply reply = client.requestWithHeaders(check, "GET", headers);
            // The proxy's own headers twice: its configuration is wrong (400). Two credentials: 401, which nginx passes
            // on.
            assertEquals(repeated.equals("Authorization") ? 401 : 400, reply.status(), repeated + " twice: " + reply);
            assertOAuthError(reply);
        }
        List<Map.Entry<String, String>> twoUris = new java.util.ArrayList<>(base);
        twoUris.add(Map.entry("X-Forwarded-Uri", "/admin"));
        assertEquals(400, client.requestWithHeaders(check, "GET", twoUris).status(), "two different URIs");
    }

    /** The check hands out who the user is: an agent asking Keycloak itself, without the portal's secret, learns nothing. */
    @Test
    void onlyTheProxyAuthenticatedAsThePortalGetsTheUsersIdentity() {
        URI check = client.proxymeUri(REALM, "proxy/check");
        String token = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_token");
        Map<String, String> asked =
                Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/", "Authorization", "Bearer " + token);
        assertEquals(
                200,
                client.request(check, "GET", null, null, ProxymeClient.proxyHeaders("portal-a", asked))
                        .status());
        for (Map.Entry<String, String> secret : Map.of(
                        "none",
                        "",
                        "wrong",
                        "portal-a-secretX",
                        "another portal's",
                        "portal-b-secret",
                        "the agent's",
                        agent.secret())
                .entrySet()) {
            java.util.HashMap<String, String> headers = new java.util.HashMap<>(asked);
            headers.put("X-Proxyme-Portal", "portal-a");
            if (!secret.getValue().isEmpty()) {
                headers.put("X-Proxyme-Portal-Secret", secret.getValue());
            }
            Reply reply = client.request(check, "GET", null, null, headers);
            assertEquals(401, reply.status(), secret.getKey() + ": " + reply);
            assertEquals("invalid_client", reply.text("error"));
            assertFalse(
                    reply.headers().map().keySet().stream()
                            .anyMatch(name -> name.toLowerCase().startsWith("x-proxyme")),
                    secret.getKey() + ": no identity header without the portal's secret");
        }
    }

    /**
     * The metadata endpoint answers only the proxy (the portal's secret), names only the portal's own resource URIs on
     * the origin the client used, and puts nothing a client sent into the header it answers with.
     */
    @Test
    void theMetadataEndpointAnswersOnlyTheProxyAndOnlyForThePortalsResources() {
        URI metadata = client.proxymeUri(REALM, "proxy/metadata");
        Map<String, String> forwarded = Map.of(
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "portal-a.example",
                "X-Forwarded-Uri",
                "/.well-known/oauth-protected-resource");
        Reply withoutSecret = client.request(metadata, "GET", null, null, Map.of("X-Proxyme-Portal", "portal-a"));
        assertEquals(401, withoutSecret.status(), withoutSecret::toString);
        assertEquals("invalid_client", withoutSecret.text("error"));
        Reply answered = client.request(metadata, "GET", null, null, ProxymeClient.proxyHeaders("portal-a", forwarded));
        assertEquals(200, answered.status(), answered::toString);
        assertEquals("https://portal-a.example", answered.text("resource"));
        assertEquals(
                client.issuer(REALM),
                answered.json().get("authorization_servers").get(0).asText());
        for (Map<String, String> foreign : List.of(
                Map.of(
                        "X-Forwarded-Proto",
                        "https",
                        "X-Forwarded-Host",
                        "evil.example",
                        "X-Forwarded-Uri",
                        "/.well-known/oauth-protected-resource"),
                Map.of(
                        "X-Forwarded-Proto",
                        "http",
                        "X-Forwarded-Host",
                        "portal-a.example",
                        "X-Forwarded-Uri",
                        "/.well-known/oauth-protected-resource"),
                Map.of(
                        "X-Forwarded-Proto",
                        "https",
                        "X-Forwarded-Host",
                        "portal-a.example\"x",
                        "X-Forwarded-Uri",
                        "/.well-known/oauth-protected-resource"),
                Map.of(
                        "X-Forwarded-Proto",
                        "https",
                        "X-Forwarded-Host",
                        "portal-a.example",
                        "X-Forwarded-Uri",
                        "/.well-known/oauth-protected-resource/other"))) {
            Reply refused =
                    client.request(metadata, "GET", null, null, ProxymeClient.proxyHeaders("portal-a", foreign));
            assertEquals(404, refused.status(), () -> foreign + ": " + refused);
            assertEquals("not_found", refused.text("error"));
        }
        Reply injected = client.request(
                client.proxymeUri(REALM, "proxy/check"),
                "GET",
                null,
                null,
                ProxymeClient.proxyHeaders(
                        "portal-a",
                        Map.of(
                                "X-Forwarded-Method",
                                "GET",
                                "X-Forwarded-Uri",
                                "/",
                                "X-Forwarded-Host",
                                "portal-a.example\", x=\"y")));
        assertEquals(401, injected.status(), injected::toString);
        String challenge = injected.headers().firstValue("WWW-Authenticate").orElse("");
        assertFalse(
                challenge.contains("x=") || challenge.contains("resource_metadata"),
                "nothing of the client's in the challenge: " + challenge);
    }

    @Test
    void theSessionEndpointRefusesWhatIsNotAValidTokenForThisPortal() {
        URI session = client.proxymeUri(REALM, "proxy/session");
        for (Map.Entry<String, Map<String, String>> attempt : Map.of(
                        "no portal named", Map.<String, String>of(),
                        "not a portal", Map.of("X-Proxyme-Portal", "backend"))
                .entrySet()) {
            Reply reply =
                    client.request(session, "POST", "application/x-www-form-urlencoded", "token=x", attempt.getValue());
            assertEquals(400, reply.status(), attempt.getKey() + ": " + reply);
            assertOAuthError(reply);
        }
        for (String body : List.of("", "token=", "token=garbage", "token=" + "x".repeat(70_000), "other=1")) {
            Reply reply = client.request(
                    session, "POST", "application/x-www-form-urlencoded", body, Map.of("X-Proxyme-Portal", "portal-a"));
            assertEquals(401, reply.status(), body.length() > 40 ? "long token" : body + ": " + reply);
            assertOAuthError(reply);
            assertFalse(reply.headers().firstValue("Set-Cookie").isPresent(), "no cookie without a valid token");
        }
        String forB = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-b")
                .text("delegation_token");
        Reply otherPortal = client.request(
                session,
                "POST",
                "application/x-www-form-urlencoded",
                "token=" + forB,
                Map.of("X-Proxyme-Portal", "portal-a"));
        assertEquals(403, otherPortal.status(), otherPortal::toString);
        assertOAuthError(otherPortal);
        Reply logout = client.request(
                client.proxymeUri(REALM, "proxy/logout"),
                "POST",
                null,
                null,
                Map.of("Cookie", "__Host-proxyme_session=garbage"));
        assertEquals(200, logout.status(), "logging out without a valid session only clears the cookie: " + logout);
    }
}
