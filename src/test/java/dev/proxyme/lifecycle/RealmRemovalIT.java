package dev.proxyme.lifecycle;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deleting a realm removes Proxyme's rows for it. Proof: a realm recreated with the same id (Proxyme keys its rows by
 * realm id) starts with no delegation and no audit.
 */
@ExtendWith(KeycloakServerExtension.class)
class RealmRemovalIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    RealmRemovalIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void deletingARealmRemovesItsDelegationsTokensAndAudit() throws Exception {
        String name = "proxyme-removed-" + System.nanoTime();
        String realmId = UUID.randomUUID().toString();
        ObjectNode realm = (ObjectNode)
                ProxymeClient.JSON.readTree(getClass().getResourceAsStream("/realms/proxyme-it-realm.json"));
        realm.put("realm", name).put("id", realmId);
        String master = masterToken();

        createRealm(master, realm);
        Reply delegated = client.proxyme(
                name,
                "delegate",
                basic("backend", "backend-secret"),
                Map.of(
                        "username",
                        "alice",
                        "agent_id",
                        "fixed-agent",
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-a"));
        assertEquals(200, delegated.status(), delegated::toString);
        assertEquals(1, delegations(master, name).size());

        assertEquals(
                204,
                client.send(
                                URI.create(server.baseUri() + "/admin/realms/" + name),
                                "DELETE",
                                null,
                                null,
                                bearer(master))
                        .status());

        createRealm(master, realm);
        assertEquals(List.of(), delegations(master, name), "no delegation of the deleted realm remains");
        Reply trail = client.get(
                URI.create(server.baseUri() + "/admin/realms/" + name + "/proxyme/delegations/"
                        + delegated.text("delegation_id")),
                bearer(master));
        assertEquals(404, trail.status(), trail::toString);
        assertEquals(
                204,
                client.send(
                                URI.create(server.baseUri() + "/admin/realms/" + name),
                                "DELETE",
                                null,
                                null,
                                bearer(master))
                        .status());
    }

    private void createRealm(String master, ObjectNode realm) {
        Reply created = client.send(
                URI.create(server.baseUri() + "/admin/realms"),
                "POST",
                "application/json",
                realm.toString(),
                bearer(master));
        assertEquals(201, created.status(), created::toString);
    }

    private List<String> delegations(String master, String realm) {
        Reply reply = client.get(
                URI.create(server.baseUri() + "/admin/realms/" + realm + "/proxyme/delegations"), bearer(master));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().findValuesAsText("id");
    }

    private String masterToken() {
        return client.userToken("master", "admin", server.masterAdminPassword());
    }
}
