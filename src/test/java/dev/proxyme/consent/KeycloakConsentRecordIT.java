package dev.proxyme.consent;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak's consent record for an agent, which its Account Console lists under "Applications" and the admin sees
 * under the user's "Consents", follows the user's delegations to the agent, also when approvals and endings come at
 * once, so Keycloak's screens never show access Proxyme would refuse and never stop a revocation.
 */
@ExtendWith(KeycloakServerExtension.class)
class KeycloakConsentRecordIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    KeycloakConsentRecordIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /**
     * Keycloak's consent record for the agent, which its Account Console lists under "Applications" and the admin sees
     * under the user's "Consents", follows the delegations: the union of the active ones' scopes, narrowed when one
     * ends, gone with the last, so Keycloak's screens never show access Proxyme would refuse.
     */
    @Test
    void keycloaksConsentRecordFollowsTheDelegationsAndGoesWithTheLast() {
        RegisteredAgent ledger = registerAgent("Ledger Assistant");
        Reply readA = approveFor(ledger, "portal-a", List.of("read"));
        Reply writeB = approveFor(ledger, "portal-b", List.of("write"));
        assertEquals(Set.of("read", "write"), consentScopes(ledger));

        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/account/applications");
            browser.logInIfAsked("alice", "alice-password");
            assertTrue(
                    listedApplications(browser).contains("Ledger Assistant"),
                    "the Account Console lists the agent while it may act");

            assertEquals(
                    200,
                    client.revokeById(ledger.basicAuth(), writeB.text("delegation_id"))
                            .status());
            assertEquals(Set.of("read"), consentScopes(ledger), "narrowed to what is still delegated");
            assertEquals(
                    200,
                    client.revokeById(ledger.basicAuth(), readA.text("delegation_id"))
                            .status());
            assertEquals(null, consentScopes(ledger), "no consent once no delegation is active");

            browser.driver().navigate().refresh();
            assertFalse(
                    listedApplications(browser).contains("Ledger Assistant"),
                    "the Account Console no longer says the agent has access");
        }
    }

    /**
     * Two first approvals at once, in two login sessions of the user: Keycloak gets one consent record (two would make
     * its own lookups fail, and with them every revocation of the user), with both approvals' scopes.
     */
    @Test
    void approvalsAtOnceMakeOneConsentRecordAndRevocationsKeepWorking() throws Exception {
        RegisteredAgent parallel = registerAgent("Parallel Assistant");
        Reply readA = ask(parallel, "portal-a", List.of("read"));
        Reply writeB = ask(parallel, "portal-b", List.of("write"));
        try (Browser one = onConsentPage(readA);
                Browser two = onConsentPage(writeB)) {
            CyclicBarrier together = new CyclicBarrier(2);
            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                CompletableFuture<Void> first = CompletableFuture.runAsync(() -> approve(one, together), threads);
                CompletableFuture<Void> second = CompletableFuture.runAsync(() -> approve(two, together), threads);
                first.get(60, TimeUnit.SECONDS);
                second.get(60, TimeUnit.SECONDS);
            }
        }
        String readDelegation = decided(parallel, readA);
        String writeDelegation = decided(parallel, writeB);
        assertEquals(1, consentRecords(parallel), "one consent record");
        assertEquals(Set.of("read", "write"), consentScopes(parallel));

        Reply killed = client.send(
                client.adminUri(REALM, "/proxyme/agents/" + parallel.clientId() + "/revoke"),
                "POST",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(200, killed.status(), killed::toString);
        assertEquals("REVOKED", status(readDelegation));
        assertEquals("REVOKED", status(writeDelegation));
        assertNull(consentScopes(parallel), "no consent once no delegation is active");
    }

    /** Two endings at once: each sees the other, so no consent record is left naming access nothing gives. */
    @Test
    void endingsAtOnceLeaveNoConsentRecordBehind() throws Exception {
        RegisteredAgent parallel = registerAgent("Ending Assistant");
        Reply readA = approveFor(parallel, "portal-a", List.of("read"));
        Reply writeB = approveFor(parallel, "portal-b", List.of("write"));
        assertEquals(Set.of("read", "write"), consentScopes(parallel));
        CyclicBarrier together = new CyclicBarrier(2);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            CompletableFuture<Reply> first = CompletableFuture.supplyAsync(
                    atOnce(together, () -> client.revokeById(parallel.basicAuth(), readA.text("delegation_id"))),
                    threads);
            CompletableFuture<Reply> second = CompletableFuture.supplyAsync(
                    atOnce(together, () -> client.revokeById(parallel.basicAuth(), writeB.text("delegation_id"))),
                    threads);
            assertEquals(200, first.get(60, TimeUnit.SECONDS).status());
            assertEquals(200, second.get(60, TimeUnit.SECONDS).status());
        }
        assertNull(consentScopes(parallel), "no consent once no delegation is active");
    }

    /** An administrator takes a scope from the agent: Proxyme no longer gives it, and the consent no longer names it. */
    @Test
    void aScopeTakenFromTheAgentLeavesTheConsentRecord() {
        RegisteredAgent narrowed = registerAgent("Narrowed Assistant");
        approveFor(narrowed, "portal-a", List.of("read", "write"));
        assertEquals(Set.of("read", "write"), consentScopes(narrowed));
        Reply removed = client.send(
                client.adminUri(
                        REALM,
                        "/clients/" + client.clientUuid(narrowed.clientId()) + "/optional-client-scopes/"
                                + scopeId("write")),
                "DELETE",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, removed.status(), removed::toString);
        assertEquals(Set.of("read"), consentScopes(narrowed));
    }

    /**
     * Keycloak's account API lets the user write an agent's consent record themselves: it is brought back at once to
     * what the delegations give, also for an agent with none.
     */
    @Test
    void keycloaksOwnConsentWritesAreBroughtBackToTheDelegations() {
        RegisteredAgent written = registerAgent("Written Assistant");
        approveFor(written, "portal-a", List.of("read"));
        String scopes =
                "{\"grantedScopes\":[{\"id\":\"" + scopeId("read") + "\"},{\"id\":\"" + scopeId("write") + "\"}]}";
        String alice = bearer(client.userToken("alice", "alice-password"));
        Reply widened = client.send(accountConsent(written), "PUT", "application/json", scopes, alice);
        assertEquals(200, widened.status(), widened::toString);
        assertEquals(Set.of("read"), consentScopes(written), "what is delegated, not what was written");

        RegisteredAgent idle = registerAgent("Idle Assistant");
        Reply invented = client.send(accountConsent(idle), "POST", "application/json", scopes, alice);
        assertEquals(200, invented.status(), invented::toString);
        assertNull(consentScopes(idle), "no delegation, no consent");
    }

    private java.net.URI accountConsent(RegisteredAgent of) {
        return java.net.URI.create(server.realmUrl(REALM) + "/account/applications/" + of.clientId() + "/consent");
    }

    private RegisteredAgent registerAgent(String name) {
        Reply registered = client.proxyme(
                "register_agent",
                bearer(client.rootToken()),
                Map.of("name", name, "scopes", List.of("read", "write"), "portals", List.of("portal-a", "portal-b")));
        assertEquals(201, registered.status(), registered::toString);
        return new RegisteredAgent(registered.text("client_id"), registered.text("client_secret"));
    }

    private Reply ask(RegisteredAgent asker, String portal, List<String> scopes) {
        Reply asked = client.proxyme(
                "request_delegation",
                asker.basicAuth(),
                Map.of("scopes", scopes, "portal", portal, "user", "alice", "purpose", "Keep the ledger"));
        assertEquals(200, asked.status(), asked::toString);
        return asked;
    }

    /** A browser of its own (a login session of its own) on alice's consent page for the request. */
    private static Browser onConsentPage(Reply asked) {
        Browser browser = new Browser();
        browser.open(asked.text("verification_uri_complete"));
        browser.logInIfAsked("alice", "alice-password");
        browser.await(By.id("proxyme-approve"));
        return browser;
    }

    private static void approve(Browser browser, CyclicBarrier together) {
        atOnce(together, () -> {
                    browser.driver().findElement(By.id("proxyme-approve")).click();
                    return null;
                })
                .get();
        browser.await(By.id("proxyme-result"));
    }

    private static <T> Supplier<T> atOnce(CyclicBarrier together, Supplier<T> action) {
        return () -> {
            try {
                together.await(30, TimeUnit.SECONDS);
            } catch (Exception interrupted) {
                throw new IllegalStateException(interrupted);
            }
            return action.get();
        };
    }

    private String decided(RegisteredAgent asker, Reply asked) {
        Reply granted = client.pollUntilDecided(asker.basicAuth(), asked.text("request_id"));
        assertEquals(200, granted.status(), granted::toString);
        return granted.text("delegation_id");
    }

    private String status(String delegationId) {
        return client.get(client.adminUri(REALM, "/proxyme/delegations/" + delegationId), bearer(client.rootToken()))
                .json()
                .path("delegation")
                .path("status")
                .asText();
    }

    /** Asks alice for the scopes of a portal as this agent, and approves in Chromium. */
    private Reply approveFor(RegisteredAgent asker, String portal, List<String> scopes) {
        Reply asked = ask(asker, portal, scopes);
        try (Browser browser = onConsentPage(asked)) {
            browser.driver().findElement(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        Reply granted = client.pollUntilDecided(asker.basicAuth(), asked.text("request_id"));
        assertEquals(200, granted.status(), granted::toString);
        return granted;
    }

    private JsonNode consents() {
        return client.get(
                        client.adminUri(REALM, "/users/" + client.userId("alice") + "/consents"),
                        bearer(client.rootToken()))
                .json();
    }

    private long consentRecords(RegisteredAgent of) {
        long count = 0;
        for (JsonNode consent : consents()) {
            if (of.clientId().equals(consent.path("clientId").asText())) {
                count++;
            }
        }
        return count;
    }

    /** The scopes of alice's consent to the agent, as the admin's "Consents" tab shows them; null: no consent. */
    private Set<String> consentScopes(RegisteredAgent of) {
        for (JsonNode consent : consents()) {
            if (of.clientId().equals(consent.path("clientId").asText())) {
                Set<String> scopes = new TreeSet<>();
                consent.path("grantedClientScopes").forEach(scope -> scopes.add(scope.asText()));
                return scopes;
            }
        }
        return null;
    }

    private String scopeId(String name) {
        for (JsonNode scope : client.get(client.adminUri(REALM, "/client-scopes"), bearer(client.rootToken()))
                .json()) {
            if (name.equals(scope.get("name").asText())) {
                return scope.get("id").asText();
            }
        }
        throw new AssertionError("no client scope " + name);
    }

    /** The Account Console's applications page once it has rendered its list (the console itself is always on it). */
    private static String listedApplications(Browser browser) {
        browser.await(By.cssSelector("[data-testid='applications-list-item']"));
        return browser.driver().findElements(By.cssSelector("[data-testid='applications-list-item']")).stream()
                .map(WebElement::getText)
                .reduce("", (all, item) -> all + "\n" + item);
    }
}
