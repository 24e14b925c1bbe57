package dev.proxyme.store;

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

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing is lost: delegations, revocations and audit rows survive a server restart. */
@ExtendWith(KeycloakServerExtension.class)
class PersistenceIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    PersistenceIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void delegationsRevocationsAndAuditSurviveARestart() {
        RegisteredAgent agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"));
        Reply kept = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        Reply revoked = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null);
        assertEquals(
                200, client.revokeById(BACKEND, revoked.text("delegation_id")).status());
        JsonNode keptTrailBefore = client.trail(kept.text("delegation_id"));
        JsonNode revokedTrailBefore = client.trail(revoked.text("delegation_id"));
        JsonNode bobsOwnBefore = bobsOwnListing();
        assertTrue(bobsOwnBefore.get("ended").findValuesAsText("id").contains(revoked.text("delegation_id")));

        // An agent from before portal lists were explicit got "*" at the first start; an administrator then clears it.
        assertEquals(
                "*",
                attributes("legacy-agent").path("proxyme.portals").asText(),
                "migrated once: any portal, as it meant");
        client.setClientAttribute("legacy-agent", "proxyme.portals", "");
        assertFalse(attributes("legacy-agent").has("proxyme.portals"));

        // The activity log writes behind; the test server writes it only when read or stopped (see DistributionServer):
        // these 25 requests are still queued when the restart begins, and must all be there after it.
        for (int call = 0; call < 25; call++) {
            assertEquals(200, client.proxyCheck(kept.text("delegation_token")).status());
        }

        server.restart();

        JsonNode activity = client.get(
                        client.proxymeUri(REALM, "my/delegations/" + kept.text("delegation_id") + "/activity?max=100"),
                        bearer(client.userToken("alice", "alice-password")))
                .json();
        int recorded = 0;
        for (JsonNode entry : activity.get("entries")) {
            recorded += entry.get("count").asInt();
        }
        assertEquals(25, recorded, () -> "a graceful stop wrote what was queued: " + activity);
        assertEquals(25, activity.get("counts").get(0).get("count").asInt());

        assertFalse(
                attributes("legacy-agent").has("proxyme.portals"),
                "the migration ran once: a cleared list stays cleared");
        Reply noPortal = client.delegateAsBackend("alice", "legacy-agent", List.of("read"), "portal-a");
        assertEquals(400, noPortal.status(), "no portal for an agent whose list was cleared: " + noPortal);

        assertTrue(client.isActive(kept.text("delegation_token")), "an active delegation's token stays active");
        assertFalse(client.isActive(revoked.text("delegation_token")), "a revoked delegation's token stays inactive");
        assertEquals(keptTrailBefore, client.trail(kept.text("delegation_id")));
        assertEquals(revokedTrailBefore, client.trail(revoked.text("delegation_id")));
        assertEquals(
                "REVOKED", revokedTrailBefore.get("delegation").get("status").asText());
        assertEquals(bobsOwnBefore, bobsOwnListing(), "the user's own view is the same after the restart");

        Reply renewed =
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", kept.text("delegation_id")));
        assertEquals(200, renewed.status(), "the agent's registration and delegation still work: " + renewed);
        Reply refused =
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", revoked.text("delegation_id")));
        assertEquals(403, refused.status(), refused::toString);
    }

    private JsonNode attributes(String clientId) {
        return client.get(
                        java.net.URI.create(client.adminUri(REALM, "/clients") + "?clientId=" + clientId),
                        bearer(client.rootToken()))
                .json()
                .get(0)
                .path("attributes");
    }

    private JsonNode bobsOwnListing() {
        Reply reply =
                client.get(client.proxymeUri(REALM, "my/delegations"), bearer(client.userToken("bob", "bob-password")));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }
}
