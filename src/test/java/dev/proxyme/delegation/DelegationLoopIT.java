package dev.proxyme.delegation;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first service's loop on a real server: register, delegate, introspect active, revoke, introspect inactive. */
@ExtendWith(KeycloakServerExtension.class)
class DelegationLoopIT {

    private final ProxymeClient client;

    DelegationLoopIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void registerDelegateIntrospectRevoke() throws Exception {
        RegisteredAgent agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"));

        Reply delegated = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        assertEquals(200, delegated.status(), delegated::toString);
        String token = delegated.text("delegation_token");
        String delegationId = delegated.text("delegation_id");
        assertEquals("Bearer", delegated.text("token_type"));
        assertEquals("portal-a", delegated.text("portal"));
        assertEquals("read", delegated.text("scope"));
        long expiresIn = delegated.json().get("expires_in").asLong();
        assertTrue(expiresIn > 250 && expiresIn <= 300, "5-minute token, was " + expiresIn);

        JsonNode claims = claimsOf(token);
        String aliceId = client.userId("alice");
        assertEquals(aliceId, claims.get("sub").asText());
        assertEquals(agent.clientId(), claims.get("azp").asText());
        assertEquals("portal-a", claims.get("aud").asText());
        assertEquals(agent.clientId(), claims.get("act").get("client_id").asText());
        assertFalse(claims.get("act").get("sub").asText().isEmpty());
        assertEquals(delegationId, claims.get("delegation_id").asText());
        assertEquals("portal-a", claims.get("portal").asText());
        assertEquals("read", claims.get("scope").asText());
        assertFalse(claims.has("realm_access"), "no roles of the user in an agent's token");
        assertFalse(claims.has("email"), "no personal data by default");

        JsonNode active = client.introspect(token, "portal-a", "portal-a-secret");
        assertTrue(active.get("active").asBoolean(), active::toString);
        assertEquals(aliceId, active.get("sub").asText());
        assertEquals(agent.clientId(), active.get("client_id").asText());
        assertEquals("read", active.get("scope").asText());
        assertEquals(delegationId, active.get("delegation_id").asText());
        assertEquals("portal-a", active.get("portal").asText());
        assertEquals(claims.get("act"), active.get("act"));

        Reply revoked = client.revokeById(agent.basicAuth(), delegationId);
        assertEquals(200, revoked.status(), revoked::toString);
        assertEquals("revoked", revoked.text("status"));
        assertEquals(delegationId, revoked.text("delegation_id"));

        JsonNode inactive = client.introspect(token, "portal-a", "portal-a-secret");
        assertEquals(Map.of("active", false), JSON.convertValue(inactive, Map.class));
    }

    static JsonNode claimsOf(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }
}
