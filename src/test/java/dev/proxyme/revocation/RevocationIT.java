package dev.proxyme.revocation;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.Eventually;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KeycloakServerExtension.class)
class RevocationIT {

    private final ProxymeClient client;
    private RegisteredAgent agent;

    RevocationIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"));
    }

    @Test
    void revokingEndsEveryTokenOfTheDelegationAtOnce() {
        Reply first = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        String delegationId = first.text("delegation_id");
        List<String> tokens = new ArrayList<>(List.of(first.text("delegation_token")));
        for (int i = 0; i < 3; i++) {
            tokens.add(client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId))
                    .text("delegation_token"));
        }
        String unrelated = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null)
                .text("delegation_token");
        tokens.forEach(token -> assertTrue(client.isActive(token)));

        Reply revoked = client.proxyme(
                "revoke_delegation", basic("portal-a", "portal-a-secret"), Map.of("delegation_token", tokens.get(2)));
        assertEquals(200, revoked.status(), revoked::toString);
        assertEquals(delegationId, revoked.text("delegation_id"));

        tokens.forEach(token -> assertFalse(client.isActive(token), "every token of the delegation is inactive"));
        assertTrue(client.isActive(unrelated), "other delegations are untouched");

        Reply again = client.proxyme(
                "revoke_delegation", basic("portal-a", "portal-a-secret"), Map.of("delegation_token", tokens.get(0)));
        assertEquals(200, again.status(), "revoking twice is fine: " + again);
        assertEquals(200, client.revokeById(agent.basicAuth(), delegationId).status());
    }

    @Test
    void byIdTheAgentATrustedBackendOrAUsersAdministratorMayRevoke() {
        assertEquals(200, client.revokeById(agent.basicAuth(), newDelegation()).status());
        assertEquals(200, client.revokeById(BACKEND, newDelegation()).status());
        assertEquals(
                200,
                client.revokeById(bearer(client.userToken("users-admin", "users-admin-password")), newDelegation())
                        .status());
        assertEquals(
                200,
                client.revokeById(bearer(client.rootToken()), newDelegation()).status());
    }

    @Test
    void byIdOthersAreRefused() {
        String delegationId = newDelegation();
        RegisteredAgent otherAgent = client.registerAgent(List.of("read"), List.of("portal-a"));
        assertError(client.revokeById(otherAgent.basicAuth(), delegationId), 403, "access_denied");
        assertError(
                client.revokeById(basic("untrusted-backend", "untrusted-backend-secret"), delegationId),
                403,
                "access_denied");
        assertError(client.revokeById(basic("portal-a", "portal-a-secret"), delegationId), 403, "access_denied");
        assertError(
                client.revokeById(bearer(client.userToken("clients-admin", "clients-admin-password")), delegationId),
                403,
                "access_denied");
        assertError(
                client.revokeById(bearer(client.userToken("alice", "alice-password")), delegationId),
                403,
                "access_denied");
        assertError(client.revokeById(basic("backend", "wrong"), delegationId), 401, "invalid_client");
        assertError(client.revokeById(null, delegationId), 401, "invalid_client");
        assertError(client.revokeById(bearer("forged"), delegationId), 401, "invalid_token");
        assertEquals(200, client.revokeById(agent.basicAuth(), delegationId).status(), "still revocable by its agent");
    }

    @Test
    void unknownDelegationsAndTokensAreReported() {
        assertError(client.revokeById(agent.basicAuth(), "6f1f1a2e-0000-4000-8000-000000000000"), 404, "not_found");
        assertError(client.revokeById(BACKEND, "not-even-a-uuid"), 404, "not_found");
        assertError(
                client.proxyme("revoke_delegation", BACKEND, Map.of("delegation_token", "garbage")),
                400,
                "invalid_request");
        assertError(client.proxyme("revoke_delegation", BACKEND, Map.of()), 400, "invalid_request");
    }

    @Test
    void theAgentMayRevokeOneTokenWithTheStandardRevocationEndpoint() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        String token = granted.text("delegation_token");
        Reply revoke = client.form(
                URI.create(client.tokenEndpoint(REALM).toString().replace("/token", "/revoke")),
                Map.of("token", token, "token_type_hint", "access_token"),
                agent.basicAuth());
        assertEquals(200, revoke.status(), revoke::toString);
        assertFalse(client.isActive(token));
        String fresh = client.proxyme(
                        "delegate", agent.basicAuth(), Map.of("delegation_id", granted.text("delegation_id")))
                .text("delegation_token");
        assertTrue(client.isActive(fresh), "RFC 7009 revokes the token, not the delegation");
    }

    @Test
    void disablingTheAgentOrTheUserMakesTokensInactive() {
        String token = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null)
                .text("delegation_token");
        assertTrue(client.isActive(token));
        client.setEnabled("/clients/" + client.clientUuid(agent.clientId()), false);
        assertFalse(client.isActive(token), "agent disabled");
        assertEquals(
                Map.of("valid", false),
                ProxymeClient.JSON.convertValue(
                        client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                                .json(),
                        Map.class));
        client.setEnabled("/clients/" + client.clientUuid(agent.clientId()), true);

        String carolId = client.createUser(true);
        Reply carols = client.proxyme(
                "delegate",
                BACKEND,
                Map.of("user_id", carolId, "agent_id", agent.clientId(), "scopes", List.of("read")));
        String carolsToken = carols.text("delegation_token");
        assertTrue(client.isActive(carolsToken));
        client.setEnabled("/users/" + carolId, false);
        assertFalse(client.isActive(carolsToken), "user disabled");
    }

    /** Minting and revoking lock the same row: no token minted while a revocation runs escapes it. */
    @Test
    void noTokenMintedDuringARevocationEscapesIt() throws Exception {
        String delegationId = newDelegation();
        List<String> minted = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean revokedAnswered = new AtomicBoolean();
        CountDownLatch minting = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> renewers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            renewers.add(pool.submit(() -> {
                minting.countDown();
                for (int n = 0; n < 200 && !revokedAnswered.get(); n++) {
                    Reply reply = client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId));
                    if (reply.status() == 200) {
                        minted.add(reply.text("delegation_token"));
                    } else {
                        assertEquals(403, reply.status(), reply::toString);
                    }
                }
            }));
        }
        assertTrue(minting.await(10, TimeUnit.SECONDS));
        // Revoke while tokens are being minted, not before the first one.
        Eventually.await(() -> minted.size() >= 2, java.time.Duration.ofSeconds(20), "two tokens minted");
        Reply revoked = client.revokeById(BACKEND, delegationId);
        revokedAnswered.set(true);
        assertEquals(200, revoked.status(), revoked::toString);
        for (Future<?> renewer : renewers) {
            renewer.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertFalse(minted.isEmpty(), "some tokens were minted before the revocation");
        for (String token : minted) {
            assertFalse(client.isActive(token), "a token minted around the revocation is inactive");
        }
    }

    /** The agent is new for each test, so this creates a delegation unless an active one of this test exists. */
    private String newDelegation() {
        Reply reply = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null);
        assertEquals(200, reply.status(), reply::toString);
        return reply.text("delegation_id");
    }
}
