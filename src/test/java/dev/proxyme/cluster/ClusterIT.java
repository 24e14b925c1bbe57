package dev.proxyme.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.proxyme.testsupport.ClusterNode;
import dev.proxyme.testsupport.DPoPKey;
import dev.proxyme.testsupport.PostgresInstance;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Keycloak nodes in production mode sharing a PostgreSQL database, each with Proxyme: what one node grants or
 * revokes holds on the other, a node killed with SIGKILL loses nothing, and a restart of both keeps everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

    private PostgresInstance postgres;
    private ClusterNode nodeA;
    private ClusterNode nodeB;

    @BeforeAll
    void startCluster() {
        postgres = new PostgresInstance("keycloak");
        List<ClusterNode> nodes = ClusterNode.install(postgres.jdbcUrl("keycloak"), "node-a", "node-b");
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
        nodeA.start();
        nodeB.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!(nodeA.seesClusterOf(2) && nodeB.seesClusterOf(2))
                && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(250));
        }
        assertTrue(nodeA.seesClusterOf(2) && nodeB.seesClusterOf(2), "the two nodes form one cluster");
    }

    @AfterAll
    void stopCluster() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void whatOneNodeGrantsOrRevokesHoldsOnTheOtherThroughAKillAndARestart() {
        ProxymeClient a = new ProxymeClient(nodeA);
        ProxymeClient b = new ProxymeClient(nodeB);

        RegisteredAgent agent = a.registerAgent(List.of("read"), List.of("portal-a"));
        Reply kept = a.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        Reply doomed = a.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, kept.status(), kept::toString);
        assertTrue(b.isActive(kept.text("delegation_token")), "a delegation created on A is valid on B");
        Reply renewedOnB =
                b.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", kept.text("delegation_id")));
        assertEquals(200, renewedOnB.status(), "the agent renews on B: " + renewedOnB);

        assertTrue(b.isActive(doomed.text("delegation_token")));
        assertEquals(200, a.revokeById(BACKEND, doomed.text("delegation_id")).status());
        Instant revoked = Instant.now();
        boolean stillActive = b.isActive(doomed.text("delegation_token"));
        while (stillActive && Duration.between(revoked, Instant.now()).compareTo(Duration.ofSeconds(1)) < 0) {
            stillActive = b.isActive(doomed.text("delegation_token"));
        }
        assertFalse(stillActive, "a revocation on A makes introspection on B inactive within a second");

        nodeA.kill();
        assertFalse(nodeA.isServing(), "node A is dead");
        assertTrue(b.isActive(kept.text("delegation_token")), "B keeps serving after A was killed");
        assertFalse(b.isActive(doomed.text("delegation_token")), "nothing revoked is lost");
        Reply grantedOnB = b.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, grantedOnB.status(), grantedOnB::toString);
        assertEquals(
                kept.text("delegation_id"),
                grantedOnB.text("delegation_id"),
                "the delegation granted on A still holds");

        nodeB.stop();
        assertFalse(nodeB.isServing(), "node B is down: the whole cluster is");
        nodeA.start();
        nodeB.start();
        assertTrue(
                a.isActive(kept.text("delegation_token")),
                "after both restarted, the active delegation's tokens are active");
        assertFalse(b.isActive(doomed.text("delegation_token")), "and the revoked one's stay inactive");
        JsonNode trail = b.get(
                        b.adminUri(REALM, "/proxyme/delegations/" + doomed.text("delegation_id")),
                        bearer(b.rootToken()))
                .json();
        assertEquals("REVOKED", trail.get("delegation").get("status").asText());
        assertEquals(
                List.of("DELEGATION_CREATED", "TOKEN_ISSUED", "DELEGATION_REVOKED"),
                trail.get("audit").findValuesAsText("action"));
        JsonNode keptTrail = a.get(
                        a.adminUri(REALM, "/proxyme/delegations/" + kept.text("delegation_id")), bearer(a.rootToken()))
                .json();
        assertEquals(
                3,
                keptTrail.get("delegation").get("tokens_issued").asInt(),
                "minted on A, on B, and on B after A died");
    }

    /** An envelope's budget is counted on the delegation's row: of concurrent calls on two nodes, exactly the budget passes. */
    @Test
    void anEnvelopesBudgetHoldsExactlyAcrossNodesUnderConcurrentCalls() throws Exception {
        ProxymeClient a = new ProxymeClient(nodeA);
        ProxymeClient b = new ProxymeClient(nodeB);
        ProxymeClient.RegisteredAgent agent = a.registerAgent(List.of("read"), List.of("portal-a"));
        String token = a.proxyme(
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
                                "portal-a",
                                "envelope",
                                Map.of("budget", 20)))
                .text("delegation_token");
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int call = 0; call < 60; call++) {
                ProxymeClient node = call % 2 == 0 ? a : b;
                calls.add(callers.submit(() -> {
                    start.await();
                    return node.proxyCheck(token).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> call : calls) {
                statuses.add(call.get());
            }
            assertEquals(20, statuses.stream().filter(status -> status == 200).count(), statuses::toString);
            assertEquals(40, statuses.stream().filter(status -> status == 403).count(), statuses::toString);
        } finally {
            callers.shutdownNow();
        }
        JsonNode envelope = b.introspect(token, "portal-a", "portal-a-secret").get("envelope");
        assertEquals(20, envelope.get("used").asInt(), envelope::toString);
    }

    /**
     * RFC 9449 section 11.1: a DPoP proof is good for one request. Keycloak's single-use store is the cluster's, so a
     * proof seen by one node's check is a replay on the other's, and a bound token without a fresh proof passes neither.
     */
    @Test
    void aDpopProofPassesOnceInTheWholeCluster() {
        ProxymeClient a = new ProxymeClient(nodeA);
        ProxymeClient b = new ProxymeClient(nodeB);
        RegisteredAgent agent = a.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = a.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_id");
        DPoPKey key = new DPoPKey();
        java.net.URI delegate = a.proxymeUri(REALM, "delegate");
        Reply bound = a.request(
                delegate,
                "POST",
                "application/json",
                ProxymeClient.json(Map.of("delegation_id", delegationId)),
                Map.of("Authorization", agent.basicAuth(), "DPoP", key.proof("POST", delegate.toString())));
        assertEquals("DPoP", bound.text("token_type"), bound::toString);
        String token = bound.text("delegation_token");
        String url = "https://portal-a.example/reports";
        String proof = key.proof("GET", url, token);

        assertEquals(200, dpopCheck(a, token, proof).status(), "the first use of the proof, on node A");
        Reply replayed = dpopCheck(b, token, proof);
        assertEquals(401, replayed.status(), () -> "the same proof on node B is a replay: " + replayed);
        assertEquals("invalid_dpop_proof", replayed.text("error"), replayed::toString);
        assertEquals(401, dpopCheck(a, token, proof).status(), "and on node A again");
        assertEquals(200, dpopCheck(b, token, key.proof("GET", url, token)).status(), "a fresh proof passes on node B");
    }

    private static Reply dpopCheck(ProxymeClient node, String token, String proof) {
        return node.request(
                node.proxymeUri(REALM, "proxy/check"),
                "GET",
                null,
                null,
                ProxymeClient.proxyHeaders(
                        "portal-a",
                        Map.of(
                                "X-Forwarded-Method",
                                "GET",
                                "X-Forwarded-Uri",
                                "/reports",
                                "X-Forwarded-Host",
                                "portal-a.example",
                                "X-Forwarded-Proto",
                                "https",
                                "Authorization",
                                "DPoP " + token,
                                "DPoP",
                                proof)));
    }

    /**
     * A delegation whose row is gone (an operator's DELETE, a restore of an older backup) while its tokens were never
     * put in the revoked-token store: the database is the authority, so its tokens are refused on both nodes.
     */
    @Test
    void tokensOfADeletedDelegationAreRefusedOnEveryNode() {
        ProxymeClient a = new ProxymeClient(nodeA);
        ProxymeClient b = new ProxymeClient(nodeB);
        RegisteredAgent agent = a.registerAgent(List.of("read"), List.of("portal-a"));
        Reply granted = a.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, granted.status(), granted::toString);
        String token = granted.text("delegation_token");
        String delegationId = granted.text("delegation_id");
        assertTrue(a.isActive(token) && b.isActive(token));
        assertEquals(200, b.proxyCheck(token).status());

        postgres.sql("keycloak", "DELETE FROM PROXYME_DELEGATION WHERE ID = '" + delegationId + "'");

        for (ProxymeClient node : List.of(a, b)) {
            assertFalse(node.isActive(token), "standard introspection refuses a deleted delegation's token");
            assertEquals(
                    false,
                    node.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                            .json()
                            .get("valid")
                            .asBoolean());
            assertEquals(401, node.proxyCheck(token).status(), "the proxy check refuses it");
            Reply renewed = node.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId));
            assertEquals(404, renewed.status(), "the agent cannot renew it: " + renewed);
            Reply revoked = node.proxyme("revoke_delegation", BACKEND, Map.of("delegation_token", token));
            assertEquals(404, revoked.status(), "nothing is left to revoke: " + revoked);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
