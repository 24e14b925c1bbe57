package dev.proxyme.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delegations end when they should: expiry, the user disabled, signed out or deleted, the agent disabled or deleted. */
@ExtendWith(KeycloakServerExtension.class)
class LifecycleIT {

    private final ProxymeClient client;
    private RegisteredAgent agent;

    LifecycleIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        agent = client.registerAgent(List.of("read"), List.of("portal-a"));
    }

    @Test
    void aDelegationPastItsEndIsExpiredAndNoTokenOutlivesIt() {
        String userId = client.createUser(true);
        Reply granted = delegate(userId, 5);
        assertTrue(granted.json().get("expires_in").asLong() <= 5, "the token ends with its delegation");
        String delegationId = granted.text("delegation_id");

        JsonNode delegation = awaitStatus(delegationId, "EXPIRED", Duration.ofSeconds(30));
        assertEquals("expired", delegation.get("delegation").get("end_reason").asText());
        assertFalse(client.isActive(granted.text("delegation_token")));
        assertError(
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId)),
                403,
                "consent_required");
        List<String> actions = delegation.get("audit").findValuesAsText("action");
        assertEquals("DELEGATION_EXPIRED", actions.get(actions.size() - 1));
        assertEquals(
                "SYSTEM",
                delegation
                        .get("audit")
                        .get(actions.size() - 1)
                        .get("actor_type")
                        .asText());
    }

    @Test
    void disablingOrSigningOutOrDeletingTheUserEndsAllOfTheirs() {
        String disabled = client.createUser(true);
        Reply disabledGrant = delegate(disabled, null);
        client.setEnabled("/users/" + disabled, false);
        assertEnded(disabledGrant, "user_disabled");

        String signedOut = client.createUser(true);
        Reply signedOutGrant = delegate(signedOut, null);
        Reply logout = client.send(
                client.adminUri(REALM, "/users/" + signedOut + "/logout"),
                "POST",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, logout.status(), logout::toString);
        assertEnded(signedOutGrant, "user_signed_out_by_admin");

        String deleted = client.createUser(true);
        Reply deletedGrant = delegate(deleted, null);
        assertEquals(
                204,
                client.send(
                                client.adminUri(REALM, "/users/" + deleted),
                                "DELETE",
                                null,
                                null,
                                bearer(client.rootToken()))
                        .status());
        assertEnded(deletedGrant, "user_deleted");
    }

    @Test
    void disablingOrDeletingTheAgentEndsAllOfItsDelegations() {
        Reply first = delegate(client.createUser(true), null);
        Reply second = delegate(client.createUser(true), null);
        String uuid = client.clientUuid(agent.clientId());
        client.setEnabled("/clients/" + uuid, false);
        assertEnded(first, "agent_disabled");
        assertEnded(second, "agent_disabled");

        RegisteredAgent doomed = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply doomedGrant = client.delegateAsBackend("alice", doomed.clientId(), List.of("read"), null);
        assertEquals(
                204,
                client.send(
                                client.adminUri(REALM, "/clients/" + client.clientUuid(doomed.clientId())),
                                "DELETE",
                                null,
                                null,
                                bearer(client.rootToken()))
                        .status());
        assertFalse(client.isActive(doomedGrant.text("delegation_token")));
        assertEquals(
                "agent_deleted",
                client.trail(doomedGrant.text("delegation_id"))
                        .get("delegation")
                        .get("end_reason")
                        .asText());
    }

    private void assertEnded(Reply grant, String reason) {
        assertFalse(client.isActive(grant.text("delegation_token")), reason + ": the token is inactive at once");
        JsonNode trail = client.trail(grant.text("delegation_id"));
        assertEquals("REVOKED", trail.get("delegation").get("status").asText(), reason);
        assertEquals(reason, trail.get("delegation").get("end_reason").asText());
    }

    private Reply delegate(String userId, Integer seconds) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(
                Map.of("user_id", userId, "agent_id", agent.clientId(), "scopes", List.of("read")));
        if (seconds != null) {
            body.put("expires_in", seconds);
        }
        Reply reply = client.proxyme("delegate", BACKEND, body);
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(client.isActive(reply.text("delegation_token")));
        return reply;
    }

    private JsonNode awaitStatus(String delegationId, String status, Duration within) {
        Instant deadline = Instant.now().plus(within);
        JsonNode trail = client.trail(delegationId);
        while (!status.equals(trail.get("delegation").get("status").asText())
                && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            trail = client.trail(delegationId);
        }
        assertEquals(status, trail.get("delegation").get("status").asText(), trail::toString);
        return trail;
    }
}
