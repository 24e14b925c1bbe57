package dev.proxyme.delegation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;
import dev.proxyme.testsupport.TestRealm;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static dev.proxyme.testsupport.ProxymeClient.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No token outlives its delegation, through any grant (the class of CVE-2026-96460, where Keycloak's token exchange
 * renewed tokens past the subject token's expiry): a delegation's end bounds the {@code exp} of every access token and
 * of every refresh token issued under it, whatever the agent's token lifetime or the realm's session lifetimes say.
 */
@ExtendWith(KeycloakServerExtension.class)
class DelegationEndIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    DelegationEndIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** A 60-second delegation, agents with 300-second tokens: the delegation's end is the bound, at every grant. */
    @Test
    void theJsonOperationsAndTheExtensionGrantNeverMintPastTheEnd() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply vouched = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "username",
                        "alice",
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-a",
                        "expires_in",
                        60));
        assertEquals(200, vouched.status(), vouched::toString);
        String delegationId = vouched.text("delegation_id");
        long end = endOf(delegationId);
        assertBounded(vouched.text("delegation_token"), end, "the backend's delegate");

        Reply renewed = client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId));
        assertEquals(200, renewed.status(), renewed::toString);
        assertBounded(renewed.text("delegation_token"), end, "the agent's delegate");
        assertTrue(
                renewed.json().get("expires_in").asLong() <= end - System.currentTimeMillis() / 1000,
                renewed::toString);

        Reply granted = client.form(
                client.tokenEndpoint(REALM),
                Map.of("grant_type", "urn:proxyme:params:oauth:grant-type:delegation", "delegation_id", delegationId),
                agent.basicAuth());
        assertEquals(200, granted.status(), granted::toString);
        assertBounded(granted.text("access_token"), end, "the extension grant");

        Reply exchanged = client.form(
                client.tokenEndpoint(REALM),
                Map.of(
                        "grant_type",
                        "urn:ietf:params:oauth:grant-type:token-exchange",
                        "subject_token",
                        vouched.text("delegation_token"),
                        "subject_token_type",
                        "urn:ietf:params:oauth:token-type:access_token",
                        "requested_token_type",
                        "urn:ietf:params:oauth:token-type:refresh_token"),
                agent.basicAuth());
        assertEquals(
                400,
                exchanged.status(),
                () -> "a delegation token is never exchanged, so never renewed that way: " + exchanged);
    }

    /**
     * Sessions that outlast the delegation (a realm whose login sessions last ten hours): the refresh token of a
     * standard flow still ends with the delegation, and so does every access token refreshed with it.
     */
    @Test
    void aStandardFlowsRefreshTokenEndsWithTheDelegationWhateverTheSessionLifetimes() {
        try (TestRealm longSessions = TestRealm.copyOfTheTestRealm(server, client, "long-sessions")) {
            ProxymeClient inRealm = longSessions.client();
            setSessionLifetimes(inRealm, 36_000, 36_000);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "Long Session Agent");
            body.put("scopes", List.of("read"));
            body.put("portals", List.of("portal-a"));
            body.put("token_endpoint_auth_method", "none");
            String agentId = inRealm.registerAgent(body).text("client_id");
            List<String> arguments =
                    new ArrayList<>(List.of(inRealm.issuer(inRealm.realm()), agentId, "--scope", "read"));
            try (ClientProgram device = ClientProgram.node("device-grant.mjs", arguments.toArray(String[]::new));
                    Browser browser = new Browser()) {
                browser.open(device.await("user_action").get("url").asText());
                browser.logInIfAsked("bob", "bob-password");
                browser.await(By.id("proxyme-approve")).click();
                JsonNode tokens = device.await("tokens");
                String delegationId = claims(tokens.get("access_token").asText())
                        .get("delegation_id")
                        .asText();
                long end = endOf(inRealm, delegationId);
                assertTrue(
                        end - System.currentTimeMillis() / 1000 < 36_000 - 600,
                        "control: the session outlasts the delegation");
                assertBounded(tokens.get("access_token").asText(), end, "the device grant's access token");
                assertBounded(tokens.get("refresh_token").asText(), end, "the device grant's refresh token");
                JsonNode refreshed = device.await("refreshed");
                assertBounded(refreshed.get("access_token").asText(), end, "a refreshed access token");
                assertBounded(refreshed.get("refresh_token").asText(), end, "a rotated refresh token");
            }
        }
    }

    /** The delegation's end, in epoch seconds, as the admin API reports it. */
    private long endOf(String delegationId) {
        return endOf(client, delegationId);
    }

    private static long endOf(ProxymeClient client, String delegationId) {
        return client.trail(delegationId).get("delegation").get("expires_at").asLong() / 1000;
    }

    private static void assertBounded(String jwt, long endSeconds, String what) {
        JsonNode claims = claims(jwt);
        assertTrue(claims.hasNonNull("exp") && claims.get("exp").asLong() > 0, () -> what + " has an exp: " + claims);
        assertTrue(
                claims.get("exp").asLong() < endSeconds,
                () -> what + " ends before the delegation (" + endSeconds + "): " + claims);
    }

    private static void setSessionLifetimes(ProxymeClient client, int idleSeconds, int maxSeconds) {
        Reply updated = client.send(
                client.adminUri(client.realm(), ""),
                "PUT",
                "application/json",
                ProxymeClient.json(Map.of("ssoSessionIdleTimeout", idleSeconds, "ssoSessionMaxLifespan", maxSeconds)),
                bearer(client.rootToken()));
        assertEquals(204, updated.status(), updated::toString);
    }
}
