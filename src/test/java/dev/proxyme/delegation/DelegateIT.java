package dev.proxyme.delegation;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may obtain a delegation token, under which delegation, for what. */
@ExtendWith(KeycloakServerExtension.class)
class DelegateIT {

    private final ProxymeClient client;
    private RegisteredAgent agent;

    DelegateIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        agent = client.registerAgent(List.of("read", "write"), List.of("portal-a", "portal-b"));
    }

    @Test
    void aBackendReusesTheActiveDelegationThatCoversTheRequest() {
        Reply first = client.delegateAsBackend("alice", agent.clientId(), List.of("read", "write"), "portal-a");
        Reply narrower = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, narrower.status(), narrower::toString);
        assertEquals(first.text("delegation_id"), narrower.text("delegation_id"));
        assertEquals("read", narrower.text("scope"));

        Reply otherPortal = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-b");
        assertNotEquals(first.text("delegation_id"), otherPortal.text("delegation_id"));
        Reply otherUser = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        assertNotEquals(first.text("delegation_id"), otherUser.text("delegation_id"));
    }

    @Test
    void aWiderRequestCreatesANewDelegation() {
        Reply read = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        Reply readWrite = client.delegateAsBackend("alice", agent.clientId(), List.of("read", "write"), "portal-a");
        assertEquals(200, readWrite.status(), readWrite::toString);
        assertNotEquals(read.text("delegation_id"), readWrite.text("delegation_id"));
        assertEquals(Set.of("read", "write"), scopes(readWrite));
    }

    @Test
    void theBackendMayNameTheUserById() {
        Reply reply = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "user_id",
                        client.userId("bob"),
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-a",
                        "expires_in",
                        120));
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.json().get("expires_in").asLong() <= 120, "no token outlives its delegation");
    }

    @Test
    void thePortalMayBeOmittedOnlyWhenTheAgentHasOne() {
        assertError(client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null), 400, "invalid_target");
        Reply fixed = client.delegateAsBackend("alice", "fixed-agent", List.of("read"), "portal-b");
        assertEquals(200, fixed.status(), fixed::toString);
    }

    @Test
    void nothingBeyondTheAgentsRegistration() {
        RegisteredAgent reader = client.registerAgent(List.of("read"), List.of("portal-a"));
        assertError(
                client.delegateAsBackend("alice", reader.clientId(), List.of("read", "write"), "portal-a"),
                400,
                "invalid_scope");
        assertError(
                client.delegateAsBackend("alice", reader.clientId(), List.of("admin"), "portal-a"),
                400,
                "invalid_scope");
        assertError(
                client.delegateAsBackend("alice", reader.clientId(), List.of("read"), "portal-b"),
                400,
                "invalid_target");
        assertError(
                client.delegateAsBackend("alice", reader.clientId(), List.of("read"), "not-a-portal"),
                400,
                "invalid_target");
        assertError(client.delegateAsBackend("alice", reader.clientId(), List.of(), "portal-a"), 400, "invalid_scope");
    }

    @Test
    void unknownPartiesAreNotFoundOrBadRequests() {
        assertError(
                client.delegateAsBackend("nobody", agent.clientId(), List.of("read"), "portal-a"), 404, "not_found");
        assertError(client.delegateAsBackend("alice", "no-such-agent", List.of("read"), "portal-a"), 404, "not_found");
        assertError(client.delegateAsBackend("alice", "portal-a", List.of("read"), "portal-a"), 404, "not_found");
        assertError(
                client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "no-such-portal"),
                400,
                "invalid_target");
        assertError(
                client.delegateAsBackend("service-account-backend", agent.clientId(), List.of("read"), "portal-a"),
                400,
                "invalid_request");
    }

    @Test
    void theAgentRenewsWithinItsDelegation() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read", "write"), "portal-a");
        String delegationId = granted.text("delegation_id");

        Reply renewed = client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId));
        assertEquals(200, renewed.status(), renewed::toString);
        assertEquals(delegationId, renewed.text("delegation_id"));
        assertEquals(Set.of("read", "write"), scopes(renewed));
        assertNotEquals(granted.text("delegation_token"), renewed.text("delegation_token"));
        assertTrue(client.introspect(renewed.text("delegation_token"), "portal-a", "portal-a-secret")
                .get("active")
                .asBoolean());

        Reply narrowed = client.proxyme(
                "delegate", agent.basicAuth(), Map.of("delegation_id", delegationId, "scopes", List.of("read")));
        assertEquals("read", narrowed.text("scope"));

        Reply byUser = client.proxyme(
                "delegate",
                agent.basicAuth(),
                Map.of("user_id", client.userId("alice"), "scopes", List.of("write"), "portal", "portal-a"));
        assertEquals(200, byUser.status(), byUser::toString);
        assertEquals(delegationId, byUser.text("delegation_id"));
    }

    @Test
    void theAgentCannotWidenOrRetarget() {
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_id");
        assertError(
                client.proxyme(
                        "delegate",
                        agent.basicAuth(),
                        Map.of("delegation_id", delegationId, "scopes", List.of("read", "write"))),
                403,
                "invalid_scope");
        assertError(
                client.proxyme(
                        "delegate", agent.basicAuth(), Map.of("delegation_id", delegationId, "portal", "portal-b")),
                403,
                "invalid_target");
        assertError(
                client.proxyme(
                        "delegate",
                        agent.basicAuth(),
                        Map.of("username", "alice", "scopes", List.of("write"), "portal", "portal-a")),
                403,
                "consent_required");
        assertError(
                client.proxyme(
                        "delegate",
                        agent.basicAuth(),
                        Map.of("username", "bob", "scopes", List.of("read"), "portal", "portal-a")),
                403,
                "consent_required");
    }

    @Test
    void anAgentCanNeverMintForAnotherAgent() {
        RegisteredAgent other = client.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_id");

        assertError(
                client.proxyme("delegate", other.basicAuth(), Map.of("delegation_id", delegationId)),
                403,
                "access_denied");
        assertError(
                client.proxyme(
                        "delegate",
                        other.basicAuth(),
                        Map.of(
                                "username",
                                "alice",
                                "agent_id",
                                agent.clientId(),
                                "scopes",
                                List.of("read"),
                                "portal",
                                "portal-a")),
                403,
                "access_denied");
        assertError(
                client.proxyme(
                        "delegate",
                        other.basicAuth(),
                        Map.of("username", "alice", "scopes", List.of("read"), "portal", "portal-a")),
                403,
                "consent_required");
    }

    @Test
    void anEndedDelegationNeedsConsentAgain() {
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_id");
        assertEquals(200, client.revokeById(agent.basicAuth(), delegationId).status());
        assertError(
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId)),
                403,
                "consent_required");
        assertError(
                client.proxyme(
                        "delegate", agent.basicAuth(), Map.of("delegation_id", "6f1f1a2e-0000-4000-8000-000000000000")),
                404,
                "not_found");
    }

    @Test
    void onlyAgentsAndTrustedBackendsMayCall() {
        Map<String, Object> body = Map.of(
                "username", "alice", "agent_id", agent.clientId(), "scopes", List.of("read"), "portal", "portal-a");
        assertError(
                client.proxyme("delegate", basic("untrusted-backend", "untrusted-backend-secret"), body),
                403,
                "unauthorized_client");
        assertError(client.proxyme("delegate", basic("portal-a", "portal-a-secret"), body), 403, "unauthorized_client");
        assertError(client.proxyme("delegate", basic("backend", "wrong-secret"), body), 401, "invalid_client");
        assertError(client.proxyme("delegate", basic(agent.clientId(), "wrong-secret"), body), 401, "invalid_client");
        assertError(client.proxyme("delegate", basic("public-app", ""), body), 401, "invalid_client");
        assertError(client.proxyme("delegate", basic("no-such-client", "x"), body), 401, "invalid_client");
        assertError(client.proxyme("delegate", null, body), 401, "invalid_client");
    }

    @Test
    void theDemoRealmWorksAsShipped() {
        Reply reply = client.proxyme(
                ProxymeClient.DEMO_REALM,
                "delegate",
                basic("demo-backend", "demo-backend-secret"),
                Map.of("username", "alice", "agent_id", "demo-agent", "scopes", List.of("read")));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("demo-portal", reply.text("portal"));
        assertTrue(client.introspect(
                        ProxymeClient.DEMO_REALM, reply.text("delegation_token"), "demo-portal", "demo-portal-secret")
                .get("active")
                .asBoolean());
        Reply renewed = client.proxyme(
                ProxymeClient.DEMO_REALM,
                "delegate",
                basic("demo-agent", "demo-agent-secret"),
                Map.of("delegation_id", reply.text("delegation_id")));
        assertEquals(200, renewed.status(), renewed::toString);
    }

    private static Set<String> scopes(Reply reply) {
        return Set.of(reply.text("scope").split(" "));
    }
}
