package dev.proxyme.agent;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.DEMO_REALM;
import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only administrators make agents and portals. Keycloak's client registration lets whoever may register clients set
 * any attribute; Proxyme's policy in every realm refuses its own attributes there, and any registration change to a
 * client that is an agent or a portal.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientRegistrationPolicyIT {

    private static final List<String> RESERVED = List.of(
            "proxyme.agent", "proxyme.portal", "proxyme.portals", "proxyme.routes", "PROXYME.AGENT", "Proxyme.Portal");

    private final KeycloakServer server;
    private final ProxymeClient client;
    private URI registration;
    private String registrarToken;

    ClientRegistrationPolicyIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** A user holding only realm-management's create-client, as the finding had it. */
    @BeforeAll
    void createRegistrar() {
        registration = URI.create(
                client.proxymeUri(REALM, "x").toString().replace("/proxyme/x", "/clients-registrations/default"));
        String username = "registrar-" + System.nanoTime();
        Reply created = client.send(
                client.adminUri(REALM, "/users"),
                "POST",
                "application/json",
                "{\"username\":\"" + username
                        + "\",\"enabled\":true,\"email\":\"" + username
                        + "@example.org\",\"firstName\":\"R\",\"lastName\":\"R\","
                        + "\"credentials\":[{\"type\":\"password\",\"value\":\"registrar-password\",\"temporary\":false}]}",
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        String userId = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        String realmManagement = client.clientUuid("realm-management");
        JsonNode role = client.get(
                        client.adminUri(REALM, "/clients/" + realmManagement + "/roles/create-client"),
                        bearer(client.rootToken()))
                .json();
        Reply granted = client.send(
                client.adminUri(REALM, "/users/" + userId + "/role-mappings/clients/" + realmManagement),
                "POST",
                "application/json",
                "[" + role + "]",
                bearer(client.rootToken()));
        assertEquals(204, granted.status(), granted::toString);
        registrarToken = client.userToken(username, "registrar-password");
    }

    @Test
    void theRegistrarMayRegisterAnOrdinaryClient() {
        Reply plain = register(registrarToken, Map.of());
        assertEquals(201, plain.status(), "control: registration works for this user: " + plain);
    }

    @Test
    void noRegistrationMayCarryProxymesAttributes() {
        String initialAccessToken = initialAccessToken();
        for (String attribute : RESERVED) {
            for (Map.Entry<String, String> credential : Map.of(
                            "create-client bearer", registrarToken, "initial access token", initialAccessToken)
                    .entrySet()) {
                Reply reply = register(
                        credential.getValue(),
                        Map.of(
                                attribute,
                                attribute.endsWith("s") ? "portal-a" : "true",
                                "access.token.lifespan",
                                "86400"));
                assertEquals(403, reply.status(), attribute + " with " + credential.getKey() + ": " + reply);
                assertTrue(reply.body().contains("administrators only"), reply::toString);
            }
        }
    }

    /** The client registered with a long lifespan is no agent: no delegation token can be minted for it. */
    @Test
    void aClientWithALongLifespanIsStillNoAgent() {
        Reply registered = register(registrarToken, Map.of("access.token.lifespan", "86400"));
        assertEquals(201, registered.status(), registered::toString);
        Reply delegated = client.delegateAsBackend("alice", registered.text("clientId"), List.of("read"), "portal-a");
        assertEquals(404, delegated.status(), delegated::toString);
    }

    @Test
    void aRegisteredClientCannotMakeItselfAnAgentOrAPortal() {
        Reply registered = register(registrarToken, Map.of());
        assertEquals(201, registered.status(), registered::toString);
        String registrationToken = registered.text("registrationAccessToken");
        for (String attribute : RESERVED) {
            ObjectNode update = (ObjectNode) registered.json().deepCopy();
            update.remove("registrationAccessToken");
            ((ObjectNode) update.withObject("/attributes")).put(attribute, "true");
            Reply reply = client.send(
                    URI.create(registration + "/" + registered.text("clientId")),
                    "PUT",
                    "application/json",
                    update.toString(),
                    bearer(registrationToken));
            assertEquals(403, reply.status(), attribute + ": " + reply);
        }
        JsonNode stored = client.get(
                        URI.create(client.adminUri(REALM, "/clients") + "?clientId=" + registered.text("clientId")),
                        bearer(client.rootToken()))
                .json()
                .get(0);
        assertFalse(
                stored.path("attributes").has("proxyme.agent")
                        || stored.path("attributes").has("proxyme.portal"),
                stored::toString);
    }

    /** A client an administrator made a portal is out of the registration's hands, even for harmless changes. */
    @Test
    void anAdministratorsPortalCannotBeChangedOrDeletedThroughRegistration() {
        Reply registered = register(registrarToken, Map.of());
        String clientId = registered.text("clientId");
        String registrationToken = registered.text("registrationAccessToken");
        client.setClientAttribute(clientId, "proxyme.portal", "true");
        ObjectNode update = (ObjectNode) registered.json().deepCopy();
        update.remove("registrationAccessToken");
        update.put("description", "harmless");
        Reply updated = client.send(
                URI.create(registration + "/" + clientId),
                "PUT",
                "application/json",
                update.toString(),
                bearer(registrationToken));
        assertEquals(403, updated.status(), updated::toString);
        Reply deleted =
                client.send(URI.create(registration + "/" + clientId), "DELETE", null, null, bearer(registrationToken));
        assertEquals(403, deleted.status(), deleted::toString);
        Reply read = client.get(URI.create(registration + "/" + clientId), bearer(registrationToken));
        assertEquals(403, read.status(), "reading would hand the registrant the portal's secret: " + read);
        assertFalse(read.body().contains("secret"), read::toString);
        assertEquals(
                1,
                client.get(
                                URI.create(client.adminUri(REALM, "/clients") + "?clientId=" + clientId),
                                bearer(client.rootToken()))
                        .json()
                        .size(),
                "the portal still exists");
    }

    @Test
    void administratorsStillMakeAgentsAndPortals() {
        String agent =
                client.registerAgent(List.of("read"), List.of("portal-a")).clientId();
        Reply delegated = client.delegateAsBackend("alice", agent, List.of("read"), "portal-a");
        assertEquals(200, delegated.status(), delegated::toString);
        Reply registered = register(registrarToken, Map.of());
        client.setClientAttribute(registered.text("clientId"), "proxyme.portal", "true");
        JsonNode stored = client.get(
                        URI.create(client.adminUri(REALM, "/clients") + "?clientId=" + registered.text("clientId")),
                        bearer(client.rootToken()))
                .json()
                .get(0);
        assertEquals("true", stored.path("attributes").path("proxyme.portal").asText(), "the admin API sets it");
    }

    @Test
    void everyRealmHasThePolicyForBothKindsOfRegistration() {
        String masterAdmin = client.userToken("master", "admin", server.masterAdminPassword());
        for (String realm : List.of(REALM, DEMO_REALM, "master")) {
            JsonNode components = client.get(
                            URI.create(client.adminUri(realm, "/components")
                                    + "?type=org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"),
                            bearer(masterAdmin))
                    .json();
            List<String> kinds = new java.util.ArrayList<>();
            components.forEach(component -> {
                if ("proxyme-agents-by-admins-only"
                        .equals(component.path("providerId").asText())) {
                    kinds.add(component.path("subType").asText());
                }
            });
            assertEquals(
                    List.of("anonymous", "authenticated"),
                    kinds.stream().sorted().toList(),
                    realm + ": " + components);
        }
    }

    private Reply register(String token, Map<String, String> attributes) {
        ObjectNode rep = JSON.createObjectNode();
        rep.put("clientId", "registered-" + System.nanoTime());
        rep.putArray("redirectUris").add("https://app.example/cb");
        ObjectNode attrs = rep.putObject("attributes");
        attributes.forEach(attrs::put);
        return client.send(registration, "POST", "application/json", rep.toString(), bearer(token));
    }

    private String initialAccessToken() {
        Reply created = client.send(
                client.adminUri(REALM, "/clients-initial-access"),
                "POST",
                "application/json",
                "{\"count\":20,\"expiration\":600}",
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        return created.text("token");
    }
}
