package dev.proxyme.token;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.EchoPortal;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.NginxProxy;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.DEMO_REALM;
import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent registered with {@code "token_signing_alg": "ES256"} gets ES256 delegation tokens from a realm with an EC
 * key (Keycloak's {@code ecdsa-generated} provider), and every place that checks tokens verifies them.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Es256AgentIT {

    private final KeycloakServer server;
    private final ProxymeClient client;
    private String ecKey;

    Es256AgentIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeAll
    void addAnEcKey() {
        String realmId = client.get(client.adminUri(REALM, ""), bearer(client.rootToken()))
                .json()
                .get("id")
                .asText();
        ObjectNode component = JSON.createObjectNode()
                .put("name", "ecdsa-es256")
                .put("providerId", "ecdsa-generated")
                .put("providerType", "org.keycloak.keys.KeyProvider")
                .put("parentId", realmId);
        component.putObject("config").putArray("ecdsaEllipticCurveKey").add("P-256");
        Reply created = client.send(
                client.adminUri(REALM, "/components"),
                "POST",
                "application/json",
                component.toString(),
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        ecKey = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
    }

    @AfterAll
    void removeTheEcKey() {
        client.send(client.adminUri(REALM, "/components/" + ecKey), "DELETE", null, null, bearer(client.rootToken()));
    }

    @Test
    void es256TokensAreVerifiedEverywhere() throws Exception {
        Reply registered = client.proxyme(
                "register_agent",
                bearer(client.rootToken()),
                Map.of("scopes", List.of("read"), "portals", List.of("portal-a"), "token_signing_alg", "ES256"));
        assertEquals(201, registered.status(), registered::toString);
        assertEquals("ES256", registered.text("token_signing_alg"));
        String agent = registered.text("client_id");

        Reply granted = client.delegateAsBackend("alice", agent, List.of("read"), "portal-a");
        assertEquals(200, granted.status(), granted::toString);
        String token = granted.text("delegation_token");
        assertEquals("ES256", header(token).get("alg").asText());

        assertTrue(client.isActive(token), "introspection");
        assertTrue(client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                .json()
                .get("valid")
                .asBoolean());
        Reply checked = client.proxyCheck(token);
        assertEquals(200, checked.status(), checked::toString);
        assertTrue(checked.headers().firstValue("X-Proxyme-Assertion").isPresent(), "the identity assertion");
        Reply renewed = client.proxyme(
                "delegate",
                ProxymeClient.basic(agent, registered.text("client_secret")),
                Map.of("delegation_id", granted.text("delegation_id")));
        assertEquals(
                "ES256", header(renewed.text("delegation_token")).get("alg").asText());

        try (EchoPortal portal = new EchoPortal();
                NginxProxy nginx = new NginxProxy(server, REALM, "portal-a", portal.hostAndPort())) {
            Reply through =
                    client.request(nginx.uri("/reports/1"), "GET", null, null, Map.of("Authorization", bearer(token)));
            assertEquals(200, through.status(), through::toString);
            assertEquals(
                    "alice",
                    through.json().get("headers").get("x-proxyme-username").asText());

            assertEquals(
                    200,
                    client.revokeById(BACKEND, granted.text("delegation_id")).status());
            assertEquals(
                    401,
                    client.request(nginx.uri("/reports/1"), "GET", null, null, Map.of("Authorization", bearer(token)))
                            .status());
        }
        assertFalse(client.isActive(token), "revoked: inactive at introspection too");
    }

    @Test
    void anAlgorithmTheRealmCannotSignWithIsRefused() {
        assertError(
                client.proxyme(
                        "register_agent",
                        bearer(client.rootToken()),
                        Map.of("scopes", List.of("read"), "token_signing_alg", "HS256")),
                400,
                "invalid_request");
        assertError(
                client.proxyme(
                        "register_agent",
                        bearer(client.rootToken()),
                        Map.of("scopes", List.of("read"), "token_signing_alg", "none")),
                400,
                "invalid_request");
        String demoAdmin = client.userToken(DEMO_REALM, "realm-admin", "realm-admin");
        Reply noEcKey = client.proxyme(
                DEMO_REALM,
                "register_agent",
                bearer(demoAdmin),
                Map.of("scopes", List.of("read"), "token_signing_alg", "ES256"));
        assertError(noEcKey, 400, "invalid_request");
        assertTrue(noEcKey.text("error_description").contains("no active signing key"), noEcKey::toString);
    }

    private static JsonNode header(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }
}
