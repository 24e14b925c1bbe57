package dev.proxyme.oauth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the realm's discovery advertises works: no grant type it lists answers unsupported_grant_type to an agent. */
@ExtendWith(KeycloakServerExtension.class)
class DiscoveryIT {

    private final ProxymeClient client;

    DiscoveryIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void everyAdvertisedGrantTypeIsAnsweredByItsGrant() {
        JsonNode discovery = client.get(URI.create(client.issuer(REALM) + "/.well-known/openid-configuration"), null)
                .json();
        List<String> grants = new ArrayList<>();
        discovery.get("grant_types_supported").forEach(grant -> grants.add(grant.asText()));
        assertTrue(
                grants.containsAll(List.of(
                        "authorization_code",
                        "refresh_token",
                        "urn:ietf:params:oauth:grant-type:device_code",
                        "urn:proxyme:params:oauth:grant-type:delegation")),
                grants::toString);
        assertEquals(
                client.issuer(REALM) + "/protocol/openid-connect/auth/device",
                discovery.get("device_authorization_endpoint").asText());
        assertTrue(discovery.get("code_challenge_methods_supported").toString().contains("S256"));

        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        for (String grant : grants) {
            // RFC 8414 section 2 lists "implicit" among grant types, though no token request carries it.
            if (grant.equals("implicit")) {
                continue;
            }
            Reply reply = client.form(client.tokenEndpoint(REALM), Map.of("grant_type", grant), agent.basicAuth());
            assertNotEquals("unsupported_grant_type", reply.json().path("error").asText(), () -> grant + ": " + reply);
            assertTrue(reply.status() < 500, () -> grant + ": " + reply);
        }
        Reply device = client.form(
                URI.create(discovery.get("device_authorization_endpoint").asText()),
                Map.of("scope", "read"),
                agent.basicAuth());
        assertEquals(200, device.status(), device::toString);
        assertTrue(device.json().has("user_code"));
    }
}
