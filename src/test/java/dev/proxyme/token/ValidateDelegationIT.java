package dev.proxyme.token;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.DPoPKey;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KeycloakServerExtension.class)
class ValidateDelegationIT {

    private static final String PORTAL = basic("portal-a", "portal-a-secret");

    private final ProxymeClient client;

    ValidateDelegationIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void aValidTokenNamesItsParties() {
        RegisteredAgent agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"));
        Reply delegated = client.delegateAsBackend("alice", agent.clientId(), List.of("read", "write"), null);

        JsonNode answer = validate(PORTAL, delegated.text("delegation_token"));
        assertTrue(answer.get("valid").asBoolean(), answer::toString);
        assertEquals(client.userId("alice"), answer.get("user_id").asText());
        assertEquals("alice", answer.get("username").asText());
        assertEquals(agent.clientId(), answer.get("agent_id").asText());
        assertEquals(
                Set.of("read", "write"),
                Set.of(
                        answer.get("scopes").get(0).asText(),
                        answer.get("scopes").get(1).asText()));
        assertEquals(2, answer.get("scopes").size());
        assertEquals("portal-a", answer.get("portal").asText());
        assertEquals(
                delegated.text("delegation_id"), answer.get("delegation_id").asText());
        assertTrue(answer.get("expires_at").asLong() > System.currentTimeMillis() / 1000);

        // Any confidential client of the realm may ask, as in the first service.
        assertTrue(validate(ProxymeClient.BACKEND, delegated.text("delegation_token"))
                .get("valid")
                .asBoolean());

        client.revokeById(agent.basicAuth(), delegated.text("delegation_id"));
        assertInvalid(delegated.text("delegation_token"));
    }

    /**
     * A DPoP-bound token is only as good as its proof: validate_delegation says so as introspection does
     * ({@code token_type} DPoP, {@code cnf.jkt}), so that a portal validating this way never takes it as a bearer token.
     */
    @Test
    void aBoundTokensAnswerCarriesItsTypeAndKeyAsIntrospectionDoes() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply delegated = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        JsonNode bearer = validate(PORTAL, delegated.text("delegation_token"));
        assertEquals("Bearer", bearer.get("token_type").asText(), bearer::toString);
        assertFalse(bearer.has("cnf"), bearer::toString);

        DPoPKey key = new DPoPKey();
        URI delegate = client.proxymeUri(ProxymeClient.REALM, "delegate");
        Reply bound = client.request(
                delegate,
                "POST",
                "application/json",
                ProxymeClient.json(Map.of("delegation_id", delegated.text("delegation_id"))),
                Map.of("Authorization", agent.basicAuth(), "DPoP", key.proof("POST", delegate.toString())));
        assertEquals(200, bound.status(), bound::toString);
        String token = bound.text("delegation_token");
        JsonNode answer = validate(PORTAL, token);
        JsonNode introspection = client.introspect(token, "portal-a", "portal-a-secret");
        assertTrue(answer.get("valid").asBoolean(), answer::toString);
        assertEquals("DPoP", answer.get("token_type").asText(), answer::toString);
        assertEquals(key.thumbprint(), answer.get("cnf").get("jkt").asText(), answer::toString);
        assertEquals(
                introspection.get("token_type").asText(),
                answer.get("token_type").asText(),
                introspection::toString);
        assertEquals(introspection.get("cnf"), answer.get("cnf"), introspection::toString);
    }

    @Test
    void whatIsNotAGenuineCurrentDelegationTokenIsInvalid() throws Exception {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String token = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null)
                .text("delegation_token");
        String[] parts = token.split("\\.");

        JsonNode claims = ProxymeClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        ((com.fasterxml.jackson.databind.node.ObjectNode) claims).put("sub", client.userId("bob"));
        String tamperedClaims = parts[0] + "." + encode(claims.toString()) + "." + parts[2];
        assertInvalid(tamperedClaims);

        String noneAlgorithm = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        assertInvalid(noneAlgorithm);

        String otherRealm = client.proxyme(
                        ProxymeClient.DEMO_REALM,
                        "delegate",
                        basic("demo-backend", "demo-backend-secret"),
                        Map.of("username", "alice", "agent_id", "demo-agent", "scopes", List.of("read")))
                .text("delegation_token");
        assertInvalid(otherRealm);

        String notADelegationToken = client.clientCredentials(ProxymeClient.REALM, "backend", "backend-secret")
                .text("access_token");
        assertInvalid(notADelegationToken);
        assertInvalid(client.rootToken());
        assertInvalid("garbage");
        assertInvalid(parts[0] + "." + parts[1]);
    }

    @Test
    void onlyConfidentialClientsMayAsk() {
        Map<String, Object> body = Map.of("delegation_token", "x");
        assertError(client.proxyme("validate_delegation", null, body), 401, "invalid_client");
        assertError(client.proxyme("validate_delegation", basic("portal-a", "wrong"), body), 401, "invalid_client");
        assertError(client.proxyme("validate_delegation", basic("public-app", ""), body), 401, "invalid_client");
        assertError(
                client.proxyme("validate_delegation", ProxymeClient.bearer(client.rootToken()), body),
                401,
                "invalid_client");
    }

    private void assertInvalid(String token) {
        Reply reply = client.proxyme("validate_delegation", PORTAL, Map.of("delegation_token", token));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(Map.of("valid", false), ProxymeClient.JSON.convertValue(reply.json(), Map.class));
    }

    private JsonNode validate(String authorization, String token) {
        Reply reply = client.proxyme("validate_delegation", authorization, Map.of("delegation_token", token));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
