package dev.proxyme.delegation;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realm's discovery document advertises Proxyme's grant type: it is a real extension grant (RFC 6749 section 4.5)
 * at Keycloak's token endpoint, an agent's renewal within a delegation it holds.
 */
@ExtendWith(KeycloakServerExtension.class)
class DelegationGrantIT {

    private static final String GRANT = "urn:proxyme:params:oauth:grant-type:delegation";

    private final ProxymeClient client;

    DelegationGrantIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void anAgentRenewsAtTheTokenEndpoint() {
        RegisteredAgent agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"));
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read", "write"), "portal-a");
        String delegationId = granted.text("delegation_id");

        Reply renewed = renew(agent, Map.of("delegation_id", delegationId));
        assertEquals(200, renewed.status(), renewed::toString);
        assertEquals("Bearer", renewed.text("token_type"));
        assertEquals(delegationId, renewed.text("delegation_id"));
        assertTrue(renewed.json().get("expires_in").asLong() > 0
                && renewed.json().get("expires_in").asLong() <= 300);
        assertTrue(renewed.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        assertFalse(renewed.json().has("refresh_token"), "renewal needs no refresh token: the delegation is the grant");
        JsonNode introspected = client.introspect(renewed.text("access_token"), "portal-a", "portal-a-secret");
        assertTrue(introspected.get("active").asBoolean(), introspected::toString);
        assertEquals(delegationId, introspected.get("delegation_id").asText());
        assertEquals(agent.clientId(), introspected.get("client_id").asText());

        Reply narrowed = renew(agent, Map.of("delegation_id", delegationId, "scope", "read"));
        assertEquals("read", narrowed.text("scope"), narrowed::toString);
        assertError(renew(agent, Map.of("delegation_id", delegationId, "scope", "admin")), 400, "invalid_scope");

        assertEquals(200, client.revokeById(BACKEND, delegationId).status());
        assertError(renew(agent, Map.of("delegation_id", delegationId)), 400, "invalid_grant");
    }

    @Test
    void onlyTheDelegationsAgentMayRenewIt() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        RegisteredAgent other = client.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_id");
        assertError(renew(other, Map.of("delegation_id", delegationId)), 400, "invalid_grant");
        assertError(
                renew(agent, Map.of("delegation_id", "6f1f1a2e-0000-4000-8000-000000000000")), 400, "invalid_grant");
        assertError(renew(agent, Map.of()), 400, "invalid_request");
        Reply backend = client.form(
                client.tokenEndpoint(REALM), Map.of("grant_type", GRANT, "delegation_id", delegationId), BACKEND);
        assertError(backend, 400, "unauthorized_client");
        Reply anonymous = client.form(
                client.tokenEndpoint(REALM),
                Map.of("grant_type", GRANT, "delegation_id", delegationId, "client_id", agent.clientId()),
                null);
        assertEquals(401, anonymous.status(), anonymous::toString);
    }

    /** Every grant the discovery document names is one the token endpoint knows. */
    @Test
    void noAdvertisedGrantIsUnsupported() {
        JsonNode discovery = client.get(
                        URI.create(client.tokenEndpoint(REALM)
                                .toString()
                                .replace("/protocol/openid-connect/token", "/.well-known/openid-configuration")),
                        null)
                .json();
        List<String> unsupported = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        discovery.get("grant_types_supported").forEach(grant -> advertised.add(grant.asText()));
        assertTrue(advertised.contains(GRANT), advertised::toString);
        for (String grant : advertised) {
            if (grant.equals("implicit")) {
                continue; // a response type of the authorization endpoint, not a grant of the token endpoint
            }
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", grant);
            Reply reply = client.form(
                    client.tokenEndpoint(REALM), form, ProxymeClient.basic("fixed-agent", "fixed-agent-secret"));
            if ("unsupported_grant_type".equals(reply.status() >= 400 ? reply.text("error") : null)) {
                unsupported.add(grant + ": " + reply);
            }
        }
        assertEquals(List.of(), unsupported);
        assertNotEquals(0, advertised.size());
    }

    private Reply renew(RegisteredAgent agent, Map<String, String> parameters) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT);
        form.putAll(parameters);
        return client.form(client.tokenEndpoint(REALM), form, agent.basicAuth());
    }
}
