package dev.proxyme.selfservice;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's delegation API takes what Keycloak's own Account REST API takes, and only that: a token whose audience
 * is the {@code account} client and which carries the account role the operation needs. Another application of the
 * realm that holds a token of the user (for its own API) cannot list the user's delegations, read what the agents did,
 * or revoke them, whatever it asks; Keycloak's account API refuses the same token the same way.
 */
@ExtendWith(KeycloakServerExtension.class)
class AccountAccessIT {

    private final ProxymeClient client;
    private RegisteredAgent agent;
    private String thirdParty;
    private String viewOnly;
    private String lightweight;

    AccountAccessIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeEach
    void clients() {
        agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String suffix = Long.toString(System.nanoTime());
        thirdParty = publicClient("third-party-" + suffix, false, Map.of());
        viewOnly = publicClient("view-only-" + suffix, false, Map.of());
        mapAccountRole(viewOnly, "view-profile");
        lightweight = publicClient(
                "lightweight-" + suffix, true, Map.of("client.use.lightweight.access.token.enabled", "true"));
    }

    @AfterEach
    void removeClients() {
        for (String clientId : List.of(thirdParty, viewOnly, lightweight)) {
            client.send(
                    client.adminUri(REALM, "/clients/" + client.clientUuid(clientId)),
                    "DELETE",
                    null,
                    null,
                    bearer(client.rootToken()));
        }
    }

    @Test
    void anotherApplicationsTokenOfTheUserIsRefusedAsKeycloaksAccountApiRefusesIt() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String delegationId = granted.text("delegation_id");
        String token = bearer(client.userToken(REALM, thirdParty, "alice", "alice-password"));
        assertTrue(
                !ProxymeClient.claims(token.substring(7)).has("aud")
                        || !ProxymeClient.claims(token.substring(7))
                                .get("aud")
                                .toString()
                                .contains("account"),
                "control: no account audience");

        Reply keycloaks = client.get(URI.create(client.issuer(REALM) + "/account"), token);
        assertEquals(401, keycloaks.status(), () -> "Keycloak's own account API: " + keycloaks);
        for (Reply reply : List.of(
                client.get(client.proxymeUri(REALM, "my/delegations"), token),
                client.get(client.proxymeUri(REALM, "my/delegations/" + delegationId + "/activity"), token),
                client.proxyme("my/delegations/" + delegationId + "/revoke", token, "{}"),
                client.proxyme("my/delegations/revoke", token, "{}"),
                client.proxyme("my/delegations/revoke", token, Map.of("agent_id", agent.clientId())))) {
            assertEquals(401, reply.status(), reply::toString);
            assertEquals("invalid_token", reply.text("error"), reply::toString);
            assertTrue(reply.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), reply::toString);
        }
        assertTrue(client.isActive(granted.text("delegation_token")), "nothing was revoked");
    }

    @Test
    void aTokenThatMaySeeTheAccountButNotManageItListsButCannotRevoke() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String delegationId = granted.text("delegation_id");
        String token = bearer(client.userToken(REALM, viewOnly, "alice", "alice-password"));

        assertEquals(
                200,
                client.get(URI.create(client.issuer(REALM) + "/account"), token).status(),
                "control: Keycloak's account API lets view-profile read the account");
        Reply listed = client.get(client.proxymeUri(REALM, "my/delegations"), token);
        assertEquals(200, listed.status(), listed::toString);
        assertTrue(listed.json().get("active").findValuesAsText("id").contains(delegationId), listed::toString);
        assertEquals(
                200,
                client.get(client.proxymeUri(REALM, "my/delegations/" + delegationId + "/activity"), token)
                        .status());
        for (Reply reply : List.of(
                client.proxyme("my/delegations/" + delegationId + "/revoke", token, "{}"),
                client.proxyme("my/delegations/revoke", token, "{}"))) {
            assertEquals(403, reply.status(), reply::toString);
            assertEquals("insufficient_scope", reply.text("error"), reply::toString);
        }
        assertTrue(client.isActive(granted.text("delegation_token")), "nothing was revoked");
    }

    /** A lightweight token names no audience or roles itself: read as Keycloak's account API reads it, it may act. */
    @Test
    void aLightweightTokenOfAnApplicationWithTheAccountRolesIsReadAsKeycloakReadsIt() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String raw = client.userToken(REALM, lightweight, "alice", "alice-password");
        String token = bearer(raw);
        assertTrue(!ProxymeClient.claims(raw).has("resource_access"), "control: the token itself carries no roles");
        assertEquals(
                200,
                client.get(URI.create(client.issuer(REALM) + "/account"), token).status(),
                "control");
        Reply revoked = client.proxyme("my/delegations/" + granted.text("delegation_id") + "/revoke", token, "{}");
        assertEquals(200, revoked.status(), revoked::toString);
        assertTrue(!client.isActive(granted.text("delegation_token")));
    }

    private String publicClient(String clientId, boolean fullScope, Map<String, String> attributes) {
        Map<String, Object> rep = Map.of(
                "clientId",
                clientId,
                "publicClient",
                true,
                "directAccessGrantsEnabled",
                true,
                "standardFlowEnabled",
                false,
                "fullScopeAllowed",
                fullScope,
                "attributes",
                attributes);
        Reply created = client.send(
                client.adminUri(REALM, "/clients"),
                "POST",
                "application/json",
                ProxymeClient.json(rep),
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        return clientId;
    }

    private void mapAccountRole(String clientId, String role) {
        String account = client.clientUuid("account");
        JsonNode found = client.get(
                        client.adminUri(REALM, "/clients/" + account + "/roles/" + role), bearer(client.rootToken()))
                .json();
        ArrayNode roles = ProxymeClient.JSON.createArrayNode().add(found);
        Reply mapped = client.send(
                client.adminUri(
                        REALM, "/clients/" + client.clientUuid(clientId) + "/scope-mappings/clients/" + account),
                "POST",
                "application/json",
                roles.toString(),
                bearer(client.rootToken()));
        assertEquals(204, mapped.status(), mapped::toString);
    }
}
