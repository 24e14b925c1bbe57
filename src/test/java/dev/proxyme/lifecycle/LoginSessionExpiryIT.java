package dev.proxyme.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A login session that merely expires sends no event: a delegation approved in it must end all the same. In a realm of
 * its own whose sessions live 30 seconds, renewal is refused once the session is gone, and the expiry task ends the
 * delegation ({@code login_session_ended}), so its tokens are inactive.
 */
@ExtendWith(KeycloakServerExtension.class)
class LoginSessionExpiryIT {

    private static final int SESSION_SECONDS = 30;

    private final KeycloakServer server;
    private final ProxymeClient client;

    LoginSessionExpiryIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void aDelegationEndsWhenItsLoginSessionExpires() throws Exception {
        String realm = "proxyme-expiry-" + System.nanoTime();
        String master = client.userToken("master", "admin", server.masterAdminPassword());
        ObjectNode representation =
                (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/realms/proxyme-it-realm.json"));
        representation.remove("id");
        representation
                .put("realm", realm)
                .put("ssoSessionMaxLifespan", SESSION_SECONDS)
                .put("ssoSessionIdleTimeout", SESSION_SECONDS);
        Reply created = client.send(
                java.net.URI.create(server.baseUri() + "/admin/realms"),
                "POST",
                "application/json",
                representation.toString(),
                bearer(master));
        assertEquals(201, created.status(), created::toString);
        try {
            String agent = basic("fixed-agent", "fixed-agent-secret");
            JsonNode request = client.proxyme(
                            realm,
                            "request_delegation",
                            agent,
                            Map.of(
                                    "scopes",
                                    List.of("read"),
                                    "portal",
                                    "portal-a",
                                    "purpose",
                                    "Outlive my session?",
                                    "user",
                                    "alice"))
                    .json();
            try (Browser browser = new Browser()) {
                browser.open(request.get("verification_uri_complete").asText());
                browser.logInIfAsked("alice", "alice-password");
                browser.await(By.id("proxyme-approve")).click();
                assertEquals(
                        "proxyme-result-approved",
                        browser.await(By.id("proxyme-result")).getAttribute("class"));
            }
            Reply granted = client.proxyme(
                    realm,
                    "delegate",
                    agent,
                    Map.of("request_id", request.get("request_id").asText()));
            assertEquals(200, granted.status(), granted::toString);
            String delegationId = granted.text("delegation_id");
            assertEquals(
                    200,
                    client.proxyme(realm, "delegate", agent, Map.of("delegation_id", delegationId))
                            .status(),
                    "control: renewal works while the session lasts");

            String aliceId = client.get(
                            java.net.URI.create(client.adminUri(realm, "/users") + "?exact=true&username=alice"),
                            bearer(master))
                    .json()
                    .get(0)
                    .get("id")
                    .asText();
            awaitTrue(
                    Duration.ofSeconds(SESSION_SECONDS + 60),
                    "the login session expires",
                    () -> client.get(client.adminUri(realm, "/users/" + aliceId + "/sessions"), bearer(master))
                            .json()
                            .isEmpty());

            Reply renewal = client.proxyme(realm, "delegate", agent, Map.of("delegation_id", delegationId));
            assertEquals(403, renewal.status(), renewal::toString);
            assertEquals("consent_required", renewal.text("error"));
            awaitTrue(
                    Duration.ofSeconds(30),
                    "the expiry task ends the delegation",
                    () -> "login_session_ended"
                            .equals(client.get(
                                            client.adminUri(realm, "/proxyme/delegations/" + delegationId),
                                            bearer(master))
                                    .json()
                                    .get("delegation")
                                    .path("end_reason")
                                    .asText()));
            assertFalse(client.introspect(realm, granted.text("delegation_token"), "portal-a", "portal-a-secret")
                    .get("active")
                    .asBoolean());
        } finally {
            client.send(
                    client.adminUri(realm, ""),
                    "DELETE",
                    null,
                    null,
                    bearer(client.userToken("master", "admin", server.masterAdminPassword())));
        }
    }

    private static void awaitTrue(Duration within, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), what + " within " + within);
            Thread.sleep(500);
        }
    }
}
