package dev.proxyme.admin;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Administrators list and filter delegations, revoke one, all of a user, all of an agent, and see agents' counts. */
@ExtendWith(KeycloakServerExtension.class)
class ProxymeAdminIT {

    private final ProxymeClient client;

    ProxymeAdminIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void listsAndFiltersDelegationsPaged() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a", "portal-b"));
        Reply a = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        Reply b = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-b");
        Reply c = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        client.revokeById(ProxymeClient.BACKEND, c.text("delegation_id"));

        assertEquals(
                List.of(c, b, a).stream().map(r -> r.text("delegation_id")).toList(),
                ids("?agent=" + agent.clientId()),
                "newest first");
        assertEquals(List.of(b.text("delegation_id")), ids("?agent=" + agent.clientId() + "&portal=portal-b"));
        assertEquals(List.of(c.text("delegation_id")), ids("?agent=" + agent.clientId() + "&status=revoked"));
        assertEquals(
                List.of(b.text("delegation_id"), a.text("delegation_id")),
                ids("?agent=" + agent.clientId() + "&user=" + client.userId("alice")));
        assertEquals(
                List.of(b.text("delegation_id"), a.text("delegation_id")),
                ids("?agent=" + agent.clientId() + "&user=alice"),
                "a username is what an administrator types");
        assertEquals(List.of(), ids("?agent=" + agent.clientId() + "&user=nobody-by-this-name"));
        assertEquals(List.of(b.text("delegation_id")), ids("?agent=" + agent.clientId() + "&first=1&max=1"));
        assertEquals(List.of(), ids("?agent=" + agent.clientId() + "&from=" + (System.currentTimeMillis() + 60_000)));

        assertError(get("/proxyme/delegations?status=sleeping"), 400, "invalid_request");
        assertError(get("/proxyme/delegations?max=lots"), 400, "invalid_request");
        assertError(get("/proxyme/delegations?from=-5"), 400, "invalid_request");
    }

    /**
     * Usernames may be any string, another user's id too (Keycloak lower-cases them): a value shaped like an id is only
     * ever taken as one, so neither an id in other letters nor a deleted user's id finds another user.
     */
    @Test
    void aValueShapedLikeAnIdIsNeverTakenForAUsername() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String bobId = client.userId("bob");
        client.createUserWithPassword(bobId, "impostor-password");
        Reply bobs = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null);
        Reply impostors = client.delegateAsBackend(bobId, agent.clientId(), List.of("read"), null);
        assertEquals(
                List.of(bobs.text("delegation_id")), ids("?agent=" + agent.clientId() + "&user=" + bobId), "bob's");
        assertEquals(
                List.of(),
                ids("?agent=" + agent.clientId() + "&user=" + bobId.toUpperCase(java.util.Locale.ROOT)),
                "ids are as Keycloak writes them; never the user named so");
        assertError(post("/proxyme/users/" + bobId.toUpperCase(java.util.Locale.ROOT) + "/revoke"), 404, "not_found");
        assertTrue(active(impostors.text("delegation_token")), "the impostor's delegation is untouched");
        assertTrue(active(bobs.text("delegation_token")), "and bob's");

        String goneId = client.createUserWithPassword("leaving-" + System.nanoTime(), "leaving-password");
        Reply gones = client.delegateAsBackend(
                client.get(client.adminUri(REALM, "/users/" + goneId), bearer(client.rootToken()))
                        .text("username"),
                agent.clientId(),
                List.of("read"),
                null);
        Reply deleted = client.send(
                client.adminUri(REALM, "/users/" + goneId), "DELETE", null, null, bearer(client.rootToken()));
        assertEquals(204, deleted.status(), deleted::toString);
        client.createUserWithPassword(goneId, "newcomer-password");
        assertEquals(
                List.of(gones.text("delegation_id")),
                ids("?agent=" + agent.clientId() + "&user=" + goneId),
                "a deleted user's delegations stay theirs");
    }

    @Test
    void revokesOneAllOfAUserAndAllOfAnAgent() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply one = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        Reply revokedOne = post("/proxyme/delegations/" + one.text("delegation_id") + "/revoke");
        assertEquals(200, revokedOne.status(), revokedOne::toString);
        assertFalse(active(one.text("delegation_token")));
        assertError(post("/proxyme/delegations/6f1f1a2e-0000-4000-8000-000000000000/revoke"), 404, "not_found");

        Reply bobs = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null);
        Reply user = post("/proxyme/users/" + client.userId("bob") + "/revoke");
        assertEquals(200, user.status(), user::toString);
        assertTrue(user.json().get("count").asInt() >= 1);
        assertFalse(active(bobs.text("delegation_token")));
        assertError(post("/proxyme/users/no-such-user/revoke"), 404, "not_found");
        Reply bobsAgain = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null);
        Reply byName = post("/proxyme/users/bob/revoke");
        assertEquals(200, byName.status(), byName::toString);
        assertFalse(active(bobsAgain.text("delegation_token")), "revoked by username as by id");

        Reply first = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        Reply second = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null);
        Reply killed = post("/proxyme/agents/" + agent.clientId() + "/revoke");
        assertEquals(200, killed.status(), killed::toString);
        assertEquals(2, killed.json().get("count").asInt());
        assertFalse(active(first.text("delegation_token")));
        assertFalse(active(second.text("delegation_token")));
        assertError(post("/proxyme/agents/portal-a/revoke"), 404, "not_found");
        assertEquals(
                "agent_kill_switch",
                get("/proxyme/delegations/" + first.text("delegation_id"))
                        .json()
                        .get("delegation")
                        .get("end_reason")
                        .asText());

        Reply events = get("/admin-events?resourceTypes=CUSTOM&max=50");
        assertEquals(200, events.status(), events::toString);
        assertTrue(
                events.json().findValuesAsText("resourcePath").stream()
                        .anyMatch(p -> p.contains("agents/" + agent.clientId() + "/revoke")),
                "the kill switch is an admin event: " + events.body());
    }

    /** Two revocations of one delegation at once: both succeed, one ended it, one admin event says so. */
    @Test
    void revocationsAtOnceRecordOneAdminEvent() throws Exception {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String id = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null)
                .text("delegation_id");
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        try (java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            List<java.util.concurrent.Future<Reply>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                replies.add(threads.submit(() -> {
                    together.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    return post("/proxyme/delegations/" + id + "/revoke");
                }));
            }
            for (java.util.concurrent.Future<Reply> reply : replies) {
                assertEquals(
                        200,
                        reply.get(60, java.util.concurrent.TimeUnit.SECONDS).status());
            }
        }
        Reply events = get("/admin-events?resourceTypes=CUSTOM&max=200");
        assertEquals(
                1,
                events.json().findValuesAsText("resourcePath").stream()
                        .filter(path -> path.endsWith("delegations/" + id + "/revoke"))
                        .count(),
                "one revocation happened: " + events.body());
    }

    @Test
    void listsAgentsWithCounts() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        String revoked = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null)
                .text("delegation_id");
        client.revokeById(ProxymeClient.BACKEND, revoked);
        JsonNode agents = get("/proxyme/agents").json();
        JsonNode mine = null;
        for (JsonNode row : agents) {
            if (agent.clientId().equals(row.get("client_id").asText())) {
                mine = row;
            }
        }
        assertTrue(mine != null, agents::toString);
        assertEquals(1, mine.get("active").asInt());
        assertEquals(1, mine.get("revoked").asInt());
        assertEquals(List.of("read"), List.of(mine.get("scopes").get(0).asText()));
        assertTrue(agents.findValuesAsText("client_id").contains("fixed-agent"));
        assertFalse(agents.findValuesAsText("client_id").contains("portal-a"), "only agents");
    }

    @Test
    void checksAdminPermissionsFirst() {
        URI list = client.adminUri(REALM, "/proxyme/delegations");
        assertEquals(401, client.get(list, null).status());
        assertEquals(
                403,
                client.get(list, bearer(client.userToken("alice", "alice-password")))
                        .status());
        assertEquals(
                403,
                client.get(list, bearer(client.userToken("clients-admin", "clients-admin-password")))
                        .status());
        String usersAdmin = bearer(client.userToken("users-admin", "users-admin-password"));
        assertEquals(
                403,
                client.send(
                                client.adminUri(REALM, "/proxyme/agents/fixed-agent/revoke"),
                                "POST",
                                null,
                                null,
                                bearer(client.userToken("clients-admin", "clients-admin-password")))
                        .status());
        assertEquals(
                200,
                client.send(
                                client.adminUri(REALM, "/proxyme/agents/fixed-agent/revoke"),
                                "POST",
                                null,
                                null,
                                usersAdmin)
                        .status());
    }

    private List<String> ids(String query) {
        Reply reply = get("/proxyme/delegations" + query);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().findValuesAsText("id");
    }

    private Reply get(String path) {
        return client.get(URI.create(client.adminUri(REALM, "") + path), bearer(client.rootToken()));
    }

    private Reply post(String path) {
        return client.send(
                URI.create(client.adminUri(REALM, "") + path), "POST", null, null, bearer(client.rootToken()));
    }

    private boolean active(String token) {
        return client.introspect(token, "portal-a", "portal-a-secret")
                .get("active")
                .asBoolean();
    }
}
