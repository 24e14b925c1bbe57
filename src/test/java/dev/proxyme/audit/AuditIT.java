package dev.proxyme.audit;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;
import dev.proxyme.testsupport.TestRealm;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every action leaves an audit row with both identities and the actor, and a Keycloak event. */
@ExtendWith(KeycloakServerExtension.class)
class AuditIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    AuditIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void aDelegationsTrailNamesEveryActorInOrder() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        RegisteredAgent intruder = client.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null)
                .text("delegation_id");
        assertEquals(
                200,
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId))
                        .status());
        assertEquals(
                403,
                client.proxyme("delegate", intruder.basicAuth(), Map.of("delegation_id", delegationId))
                        .status());
        assertEquals(
                200, client.revokeById(bearer(client.rootToken()), delegationId).status());

        JsonNode trail = trail(delegationId);
        assertEquals("REVOKED", trail.get("delegation").get("status").asText());
        assertEquals(
                "revoked_by_admin", trail.get("delegation").get("end_reason").asText());
        assertEquals(2, trail.get("delegation").get("tokens_issued").asInt());

        List<String> actions = trail.get("audit").findValuesAsText("action");
        assertEquals(
                List.of("DELEGATION_CREATED", "TOKEN_ISSUED", "TOKEN_ISSUED", "REQUEST_REFUSED", "DELEGATION_REVOKED"),
                actions);
        List<String> actors = trail.get("audit").findValuesAsText("actor_type");
        assertEquals(List.of("BACKEND", "BACKEND", "AGENT", "AGENT", "ADMIN"), actors);
        JsonNode refused = trail.get("audit").get(3);
        assertEquals(intruder.clientId(), refused.get("actor_id").asText());
        assertTrue(refused.get("detail").asText().startsWith("access_denied"), refused::toString);
        String aliceId = client.userId("alice");
        for (JsonNode entry : trail.get("audit")) {
            assertEquals("127.0.0.1", entry.get("source_address").asText(), entry::toString);
            if (!"REQUEST_REFUSED".equals(entry.get("action").asText())) {
                assertEquals(aliceId, entry.get("user_id").asText(), entry::toString);
                assertEquals(agent.clientId(), entry.get("agent_id").asText(), entry::toString);
                assertEquals("portal-a", entry.get("portal").asText(), entry::toString);
            }
        }
        String everything = trail.toString();
        assertFalse(everything.contains(agent.secret()), "no secret in the audit");
    }

    /** A realm that asks for it ({@code proxyme.tokenEvents}) also gets every token issued as a Keycloak event. */
    @Test
    void keycloakEventsAreRecordedWithTheDelegation() {
        try (TestRealm withTokenEvents = TestRealm.copyOfTheTestRealm(server, client, "token-events")) {
            ProxymeClient inRealm = withTokenEvents.client();
            setTokenEvents(inRealm, true);
            RegisteredAgent agent = inRealm.registerAgent(List.of("read"), List.of("portal-a"));
            String delegationId = inRealm.delegateAsBackend("bob", agent.clientId(), List.of("read"), null)
                    .text("delegation_id");
            inRealm.revokeById(BACKEND, delegationId);

            for (String type : List.of("GRANT_CONSENT", "TOKEN_EXCHANGE", "REVOKE_GRANT")) {
                assertEquals(
                        1,
                        eventsOf(inRealm, type, agent, delegationId),
                        type + " event with delegation_id " + delegationId);
            }
        }
    }

    /**
     * By default a token costs one write, its record: renewals send no Keycloak event (the realm stores events), while
     * creating and ending the delegation do; the trail shows each token from its record.
     */
    @Test
    void renewalsWriteOnlyTheTokensRecord() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null)
                .text("delegation_id");
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    200,
                    client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId))
                            .status());
        }
        client.revokeById(BACKEND, delegationId);
        assertEquals(0, eventsOf("TOKEN_EXCHANGE", agent, delegationId), "no event per token");
        assertEquals(1, eventsOf("GRANT_CONSENT", agent, delegationId));
        assertEquals(1, eventsOf("REVOKE_GRANT", agent, delegationId));
        JsonNode trail = trail(delegationId);
        assertEquals(4, trail.get("delegation").get("tokens_issued").asInt(), "counted from the records");
        List<String> tokenIds = new java.util.ArrayList<>();
        for (JsonNode entry : trail.get("audit")) {
            if ("TOKEN_ISSUED".equals(entry.get("action").asText())) {
                tokenIds.add(entry.get("token_id").asText());
                assertEquals("read", entry.get("scope").asText(), entry::toString);
                assertTrue(entry.get("expires_at").asLong() > entry.get("time").asLong() / 1000, entry::toString);
            }
        }
        assertEquals(4, tokenIds.stream().distinct().count(), "each token's jti, once: " + tokenIds);
        assertTrue(tokenIds.stream().allMatch(id -> id.contains(delegationId)), tokenIds::toString);
    }

    private long eventsOf(String type, RegisteredAgent agent, String delegationId) {
        return eventsOf(client, type, agent, delegationId);
    }

    private static long eventsOf(ProxymeClient client, String type, RegisteredAgent agent, String delegationId) {
        Reply events = client.get(
                URI.create(client.adminUri(client.realm(), "/events") + "?max=500&type=" + type + "&client="
                        + agent.clientId()),
                bearer(client.rootToken()));
        assertEquals(200, events.status(), events::toString);
        long count = 0;
        for (JsonNode event : events.json()) {
            count += delegationId.equals(
                            event.path("details").path("delegation_id").asText())
                    ? 1
                    : 0;
        }
        return count;
    }

    private static void setTokenEvents(ProxymeClient client, boolean on) {
        Reply reply = client.send(
                client.adminUri(client.realm(), ""),
                "PUT",
                "application/json",
                "{\"attributes\":{\"proxyme.tokenEvents\":\"" + on + "\"}}",
                bearer(client.rootToken()));
        assertEquals(204, reply.status(), reply::toString);
    }

    @Test
    void onlyAdministratorsWhoMayViewUsersReadTrails() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null)
                .text("delegation_id");
        URI uri = client.adminUri(REALM, "/proxyme/delegations/" + delegationId);
        assertEquals(
                403,
                client.get(uri, bearer(client.userToken("clients-admin", "clients-admin-password")))
                        .status());
        assertEquals(401, client.get(uri, null).status());
        Reply unknown = client.get(client.adminUri(REALM, "/proxyme/delegations/unknown"), bearer(client.rootToken()));
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("not_found", unknown.text("error"));
    }

    private JsonNode trail(String delegationId) {
        Reply reply =
                client.get(client.adminUri(REALM, "/proxyme/delegations/" + delegationId), bearer(client.rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }
}
