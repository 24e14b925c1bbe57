package dev.proxyme.token;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delegation token speaks for its user only towards one portal: Keycloak's own Admin and Account REST APIs refuse
 * it, even when the user is a realm administrator.
 */
@ExtendWith(KeycloakServerExtension.class)
class KeycloakApiRefusalIT {

    private final ProxymeClient client;

    KeycloakApiRefusalIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void anAdministratorsDelegationTokenIsRefusedByKeycloaksOwnApis() {
        URI adminUsers = client.adminUri(REALM, "/users");
        URI account = URI.create(client.proxymeUri(REALM, "x").toString().replace("/proxyme/x", "/account/"));
        String rootsOwnToken = client.rootToken();
        assertEquals(200, client.get(adminUsers, bearer(rootsOwnToken)).status(), "control: root may list users");
        assertEquals(200, client.get(account, bearer(rootsOwnToken)).status(), "control: the account API answers root");

        String agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"))
                .clientId();
        Reply delegated = client.delegateAsBackend("root", agent, List.of("read", "write"), null);
        assertEquals(200, delegated.status(), delegated::toString);
        String delegationToken = delegated.text("delegation_token");
        assertTrue(
                client.introspect(delegationToken, "portal-a", "portal-a-secret")
                        .get("active")
                        .asBoolean(),
                "the token itself is valid for its portal");

        Reply admin = client.get(adminUsers, bearer(delegationToken));
        assertEquals(401, admin.status(), admin::toString);
        Reply accountApi = client.get(account, bearer(delegationToken));
        assertEquals(401, accountApi.status(), accountApi::toString);
        Reply proxymeAdmin =
                client.proxyme("register_agent", bearer(delegationToken), java.util.Map.of("scopes", List.of("read")));
        assertEquals(401, proxymeAdmin.status(), proxymeAdmin::toString);
    }
}
