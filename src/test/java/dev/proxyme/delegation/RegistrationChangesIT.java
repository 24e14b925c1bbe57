package dev.proxyme.delegation;

import java.util.Base64;
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
import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an administrator changes about an agent or a portal holds at once for delegations granted before: renewal and
 * every check of a token (introspection, the proxy, validate_delegation) read the registration as it is now.
 */
@ExtendWith(KeycloakServerExtension.class)
class RegistrationChangesIT {

    private final ProxymeClient client;
    private String portal;
    private RegisteredAgent agent;
    private Reply granted;

    RegistrationChangesIT(ProxymeClient client) {
        this.client = client;
    }

    /** A portal of this test's own, so that changing it disturbs no other test. */
    @BeforeEach
    void grantOnAPortalOfItsOwn() {
        portal = "portal-x-" + System.nanoTime();
        Reply created = client.send(
                client.adminUri(REALM, "/clients"),
                "POST",
                "application/json",
                "{\"clientId\":\"" + portal
                        + "\",\"publicClient\":false,\"secret\":\"" + portal
                        + "-secret\",\"standardFlowEnabled\":false,"
                        + "\"attributes\":{\"proxyme.portal\":\"true\"}}",
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        agent = client.registerAgent(List.of("read", "write"), List.of(portal, "portal-a"));
        granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read", "write"), portal);
        assertEquals(200, granted.status(), granted::toString);
        assertTrue(accepted(granted.text("delegation_token")), "control: accepted everywhere before the change");
    }

    @Test
    void aPortalTakenFromTheAgentEndsRenewalAndItsTokens() {
        client.setClientAttribute(agent.clientId(), "proxyme.portals", "portal-a");
        assertError(renew(Map.of()), 403, "invalid_target");
        assertRefusedEverywhere(granted.text("delegation_token"));
        client.setClientAttribute(agent.clientId(), "proxyme.portals", portal + " portal-a");
        assertEquals(200, renew(Map.of()).status(), "given back, the delegation works again: a check, not a copy");
    }

    @Test
    void aClientThatIsNoLongerAPortalGetsNoMoreTokens() {
        client.setClientAttribute(portal, "proxyme.portal", "false");
        assertError(renew(Map.of()), 403, "invalid_target");
        assertRefusedEverywhere(granted.text("delegation_token"));
        Reply vouched = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), portal);
        assertError(vouched, 400, "invalid_target");
    }

    @Test
    void aScopeTakenFromTheAgentIsNoLongerMinted() {
        String agentUuid = client.clientUuid(agent.clientId());
        String writeScope = scopeId("write");
        Reply removed = client.send(
                client.adminUri(REALM, "/clients/" + agentUuid + "/optional-client-scopes/" + writeScope),
                "DELETE",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, removed.status(), removed::toString);
        assertRefusedEverywhere(granted.text("delegation_token"));
        Reply renewed = renew(Map.of());
        assertEquals(200, renewed.status(), renewed::toString);
        assertEquals("read", renewed.text("scope"), "only what the agent is still registered for");
        assertTrue(accepted(renewed.text("delegation_token")), "a token of what is left is accepted");
        assertError(renew(Map.of("scopes", List.of("write"))), 400, "invalid_scope");
        assertError(renew(Map.of("scopes", List.of("read", "write"))), 400, "invalid_scope");
    }

    /**
     * Emptied by an administrator (Keycloak then drops the attribute), the portal list allows no portal: only an
     * explicit {@code *} means any.
     */
    @Test
    void anEmptiedPortalListAllowsNoPortal() {
        client.setClientAttribute(agent.clientId(), "proxyme.portals", "");
        assertError(renew(Map.of()), 403, "invalid_target");
        assertRefusedEverywhere(granted.text("delegation_token"));
        assertError(
                client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-b"),
                400,
                "invalid_target");
        Reply asked = client.proxyme(
                "request_delegation",
                agent.basicAuth(),
                Map.of("scopes", List.of("read"), "portal", "portal-b", "purpose", "Not registered for it"));
        assertError(asked, 400, "invalid_target");
        client.setClientAttribute(agent.clientId(), "proxyme.portals", "*");
        assertEquals(200, renew(Map.of()).status(), "* is any portal");
        assertEquals(
                200,
                client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-b")
                        .status());
    }

    /** An administrator's typo (a day instead of minutes) must not make tokens outlive the registered bounds. */
    @Test
    void tokenLifetimesStayInTheirBoundsWhateverTheAttributeSays() throws Exception {
        client.setClientAttribute(agent.clientId(), "access.token.lifespan", "86400");
        Reply renewed = renew(Map.of());
        assertEquals(200, renewed.status(), renewed::toString);
        assertTrue(renewed.json().get("expires_in").asLong() <= 600, renewed::toString);
        JsonNode claims = JSON.readTree(
                Base64.getUrlDecoder().decode(renewed.text("delegation_token").split("\\.")[1]));
        assertTrue(claims.get("exp").asLong() - claims.get("iat").asLong() <= 600, claims::toString);
    }

    private Reply renew(Map<String, Object> more) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(more);
        body.put("delegation_id", granted.text("delegation_id"));
        return client.proxyme("delegate", agent.basicAuth(), body);
    }

    private boolean accepted(String token) {
        boolean introspected = client.introspect(token, portal, portal + "-secret")
                .get("active")
                .asBoolean();
        boolean validated = client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                .json()
                .get("valid")
                .asBoolean();
        Reply check = client.request(
                client.proxymeUri(REALM, "proxy/check"),
                "GET",
                null,
                null,
                ProxymeClient.proxyHeaders(
                        portal,
                        Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/", "Authorization", bearer(token))));
        return introspected && validated && check.status() == 200;
    }

    private void assertRefusedEverywhere(String token) {
        assertFalse(
                client.introspect(token, portal, portal + "-secret")
                        .get("active")
                        .asBoolean(),
                "introspection");
        assertFalse(
                client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                        .json()
                        .get("valid")
                        .asBoolean(),
                "validate_delegation");
        Map<String, String> asked =
                Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/", "Authorization", bearer(token));
        Reply check = client.request(
                client.proxymeUri(REALM, "proxy/check"), "GET", null, null, ProxymeClient.proxyHeaders(portal, asked));
        assertTrue(check.status() == 401 || check.status() == 400, "the proxy check: " + check);
    }

    private String scopeId(String name) {
        for (JsonNode scope : client.get(client.adminUri(REALM, "/client-scopes"), bearer(client.rootToken()))
                .json()) {
            if (name.equals(scope.get("name").asText())) {
                return scope.get("id").asText();
            }
        }
        throw new AssertionError("no client scope " + name);
    }
}
