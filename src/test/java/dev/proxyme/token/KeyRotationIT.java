package dev.proxyme.token;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;
import dev.proxyme.testsupport.TestRealm;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realm's signing key rotates as Keycloak rotates keys: a new active key, the old one passive (verifies, signs
 * nothing), then the old one disabled. Tokens minted before stay valid until they expire wherever a token is checked
 * (the verifier finds the key by {@code kid}); new tokens and identity assertions use the new key; a disabled key's
 * tokens are refused everywhere. The rotation happens in a realm of the test's own, removed afterwards.
 */
@ExtendWith(KeycloakServerExtension.class)
class KeyRotationIT {

    private static final String KEY_PROVIDER = "org.keycloak.keys.KeyProvider";

    private final KeycloakServer server;
    private final ProxymeClient shared;
    private ProxymeClient client;

    KeyRotationIT(KeycloakServer server, ProxymeClient shared) {
        this.server = server;
        this.shared = shared;
    }

    @Test
    void tokensSurviveARotationUntilTheirKeyIsDisabled() throws Exception {
        try (TestRealm realm = TestRealm.copyOfTheTestRealm(server, shared, "key-rotation")) {
            client = realm.client();
            String before = mint();
            ObjectNode original = activeRs256Provider();
            addRsaKey(200);
            setKeyState(original, false, true);

            String after = mint();
            assertNotEquals(kidOf(before), kidOf(after), "new tokens are signed with the new key");
            Reply checked = client.proxyCheck(after);
            assertEquals(200, checked.status(), checked::toString);
            assertEquals(
                    kidOf(after),
                    kidOf(checked.headers().firstValue("X-Proxyme-Assertion").orElseThrow()),
                    "the identity assertion too");
            assertAcceptedEverywhere(before, "a token of the now passive key");
            assertAcceptedEverywhere(after, "a token of the new key");

            setKeyState(original, false, false);
            assertRefusedEverywhere(before, "a token of the disabled key");
            assertAcceptedEverywhere(after, "a token of the new key, after the old was disabled");
        }
    }

    private String mint() {
        Reply granted = client.delegateAsBackend("alice", "fixed-agent", List.of("read"), "portal-a");
        assertEquals(200, granted.status(), granted::toString);
        return granted.text("delegation_token");
    }

    private void assertAcceptedEverywhere(String token, String what) {
        assertTrue(client.isActive(token), what + ": introspection");
        assertEquals(200, client.proxyCheck(token).status(), what + ": the proxy check");
        assertTrue(validated(token), what + ": validate_delegation");
    }

    private void assertRefusedEverywhere(String token, String what) {
        assertFalse(client.isActive(token), what + ": introspection");
        assertEquals(401, client.proxyCheck(token).status(), what + ": the proxy check");
        assertFalse(validated(token), what + ": validate_delegation");
        Reply revoke = client.proxyme("revoke_delegation", BACKEND, Map.of("delegation_token", token));
        assertEquals(400, revoke.status(), what + ": revoke_delegation by token: " + revoke);
    }

    private boolean validated(String token) {
        return client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                .json()
                .get("valid")
                .asBoolean();
    }

    /** The component behind the realm's active RS256 signing key. */
    private ObjectNode activeRs256Provider() {
        JsonNode keys = client.get(client.adminUri(client.realm(), "/keys"), bearer(client.rootToken()))
                .json()
                .get("keys");
        String providerId = null;
        for (JsonNode key : keys) {
            if ("RS256".equals(key.path("algorithm").asText())
                    && "ACTIVE".equals(key.path("status").asText())
                    && "SIG".equals(key.path("use").asText())) {
                providerId = key.get("providerId").asText();
            }
        }
        assertNotNull(providerId, keys::toString);
        return (ObjectNode)
                client.get(client.adminUri(client.realm(), "/components/" + providerId), bearer(client.rootToken()))
                        .json();
    }

    private String addRsaKey(int priority) {
        String realmId = client.get(client.adminUri(client.realm(), ""), bearer(client.rootToken()))
                .json()
                .get("id")
                .asText();
        ObjectNode component = JSON.createObjectNode()
                .put("name", "rotated-rsa")
                .put("providerId", "rsa-generated")
                .put("providerType", KEY_PROVIDER)
                .put("parentId", realmId);
        ObjectNode config = component.putObject("config");
        config.putArray("priority").add(Integer.toString(priority));
        config.putArray("algorithm").add("RS256");
        config.putArray("keySize").add("2048");
        Reply created = client.send(
                client.adminUri(client.realm(), "/components"),
                "POST",
                "application/json",
                component.toString(),
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        return created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
    }

    private void setKeyState(ObjectNode provider, boolean active, boolean enabled) {
        ObjectNode config = (ObjectNode) provider.get("config");
        config.set("active", JSON.createArrayNode().add(Boolean.toString(active)));
        config.set("enabled", JSON.createArrayNode().add(Boolean.toString(enabled)));
        Reply updated = client.send(
                client.adminUri(
                        client.realm(), "/components/" + provider.get("id").asText()),
                "PUT",
                "application/json",
                provider.toString(),
                bearer(client.rootToken()));
        assertEquals(204, updated.status(), updated::toString);
    }

    private static String kidOf(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]))
                .get("kid")
                .asText();
    }
}
