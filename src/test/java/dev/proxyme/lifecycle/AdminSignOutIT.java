package dev.proxyme.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delegation approved in a Keycloak login session ends with that session, also when an administrator ends it: the
 * Admin Console's "Sign out" of one session, and "Sign out all active sessions" of the realm.
 */
@ExtendWith(KeycloakServerExtension.class)
class AdminSignOutIT {

    private final ProxymeClient client;
    private RegisteredAgent agent;

    AdminSignOutIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        agent = client.registerAgent(List.of("read"), List.of("portal-a", "portal-b"));
    }

    @Test
    void signingOutOneSessionEndsWhatWasApprovedInIt() {
        User user = newUser();
        Reply approved = approveInBrowser(user);
        // Another portal: for the same one the backend would reuse the delegation approved in the browser.
        Reply vouched = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "user_id",
                        user.id(),
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-b",
                        "expires_in",
                        600));
        assertEquals(200, vouched.status(), vouched::toString);
        assertTrue(client.isActive(approved.text("delegation_token")));

        JsonNode sessions = client.get(
                        client.adminUri(REALM, "/users/" + user.id() + "/sessions"), bearer(client.rootToken()))
                .json();
        assertEquals(1, sessions.size(), "the browser's session is the user's only one: " + sessions);
        Reply signedOut = client.send(
                client.adminUri(REALM, "/sessions/" + sessions.get(0).get("id").asText()),
                "DELETE",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, signedOut.status(), signedOut::toString);

        assertEnded(approved, "user_signed_out_by_admin");
        assertTrue(
                client.isActive(vouched.text("delegation_token"), "portal-b"),
                "a delegation not approved in that session stays");
    }

    @Test
    void signingOutAllSessionsEndsEveryDelegationApprovedInOne() {
        User user = newUser();
        Reply approved = approveInBrowser(user);
        Reply vouched = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, vouched.status(), vouched::toString);

        Reply signedOut = client.send(
                client.adminUri(REALM, "/logout-all"), "POST", "application/json", null, bearer(client.rootToken()));
        assertEquals(200, signedOut.status(), signedOut::toString);

        assertEnded(approved, "user_signed_out_by_admin");
        // Keycloak's "sign out all" also sets the realm's not-before: every earlier token is refused, Proxyme's too.
        // A delegation not approved in a session stays, and its agent renews it.
        assertEquals(
                "ACTIVE",
                client.trail(vouched.text("delegation_id"))
                        .get("delegation")
                        .get("status")
                        .asText());
        Reply renewed =
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", vouched.text("delegation_id")));
        assertEquals(200, renewed.status(), renewed::toString);
        assertTrue(client.isActive(renewed.text("delegation_token")));
    }

    /** An administrator revoking the user's consent to the agent does what the user can do in the Account Console. */
    @Test
    void anAdministratorRevokingTheConsentEndsTheDelegations() {
        User user = newUser();
        Reply approved = approveInBrowser(user);
        Reply revoked = client.send(
                client.adminUri(REALM, "/users/" + user.id() + "/consents/" + agent.clientId()),
                "DELETE",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, revoked.status(), "the approval was mirrored as Keycloak consent: " + revoked);
        assertEnded(approved, "consent_revoked_by_admin");
    }

    private void assertEnded(Reply granted, String reason) {
        assertFalse(client.isActive(granted.text("delegation_token")), "its token is inactive at once");
        JsonNode delegation = client.trail(granted.text("delegation_id")).get("delegation");
        assertEquals("REVOKED", delegation.get("status").asText(), delegation::toString);
        assertEquals(reason, delegation.get("end_reason").asText());
        Reply renewal =
                client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", granted.text("delegation_id")));
        assertEquals(403, renewal.status(), renewal::toString);
        assertEquals("consent_required", renewal.text("error"));
    }

    private record User(String id, String username) {}

    /** A user whose only login session is the one a browser opens in this test. */
    private User newUser() {
        String username = "signout-" + System.nanoTime();
        Reply created = client.send(
                client.adminUri(REALM, "/users"),
                "POST",
                "application/json",
                "{\"username\":\"" + username
                        + "\",\"enabled\":true,\"email\":\"" + username
                        + "@example.org\",\"emailVerified\":true,\"firstName\":\"S\","
                        + "\"lastName\":\"O\",\"credentials\":[{\"type\":\"password\",\"value\":\"signout-password\",\"temporary\":false}]}",
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        return new User(created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", ""), username);
    }

    private Reply approveInBrowser(User user) {
        JsonNode request = client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of(
                                "scopes",
                                List.of("read"),
                                "portal",
                                "portal-a",
                                "purpose",
                                "Sign-out test",
                                "user",
                                user.username()))
                .json();
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked(user.username(), "signout-password");
            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-approved",
                    browser.await(By.id("proxyme-result")).getAttribute("class"));
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Reply reply;
        do {
            reply = client.proxyme(
                    "delegate",
                    agent.basicAuth(),
                    Map.of("request_id", request.get("request_id").asText()));
        } while (reply.status() == 400
                && List.of("authorization_pending", "slow_down").contains(reply.text("error"))
                && Instant.now().isBefore(deadline)
                && pause());
        assertEquals(200, reply.status(), reply::toString);
        return reply;
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
