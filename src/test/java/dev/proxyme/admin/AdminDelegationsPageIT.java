package dev.proxyme.admin;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.HtmlForms;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administrators' page of the realm's delegations, in Chromium: find by username, open one with its trail, revoke
 * it, all of its user's and all of its agent's, each after a confirmation and each an admin event; Keycloak's roles
 * decide who may see and act; a form from elsewhere revokes nothing.
 */
@ExtendWith(KeycloakServerExtension.class)
class AdminDelegationsPageIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    AdminDelegationsPageIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void anAdministratorFindsOpensAndRevokesDelegations() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a", "portal-b"));
        Reply bobs = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        Reply bobsOther = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-b");
        Reply alices = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/admin?agent=" + agent.clientId());
            browser.logInIfAsked("root", "root-password");
            browser.await(By.id("proxyme-admin-username")).sendKeys("bob");
            browser.await(By.id("proxyme-admin-search")).click();
            browser.await(By.id("proxyme-admin-row-" + bobs.text("delegation_id")));
            assertFalse(browser.has(By.id("proxyme-admin-row-" + alices.text("delegation_id"))), "found by username");

            browser.await(By.id("proxyme-admin-open-" + bobs.text("delegation_id")))
                    .click();
            assertEquals("bob", browser.text("proxyme-admin-user"));
            assertTrue(
                    browser.text("proxyme-admin-trail").contains("DELEGATION_CREATED"), "the trail, from its creation");
            browser.await(By.id("proxyme-admin-revoke-delegation-open")).click();
            browser.await(By.id("proxyme-admin-revoke-delegation")).click();
            browser.await(By.id("proxyme-message"));
            assertFalse(active(bobs.text("delegation_token")), "revoked");
            assertTrue(activeAtB(bobsOther.text("delegation_token")), "only that one");

            browser.open(server.realmUrl(REALM) + "/proxyme/admin/delegations/" + alices.text("delegation_id"));
            browser.await(By.id("proxyme-admin-revoke-agent-open")).click();
            assertTrue(browser.text("proxyme-admin-revoke-agent-warning").contains(agent.clientId()));
            browser.await(By.id("proxyme-admin-revoke-agent")).click();
            browser.await(By.id("proxyme-message"));
        }
        assertFalse(active(alices.text("delegation_token")), "the kill switch ends alice's");
        assertFalse(activeAtB(bobsOther.text("delegation_token")), "and bob's other one");
        Reply events = client.get(
                URI.create(client.adminUri(REALM, "/admin-events") + "?resourceTypes=CUSTOM&max=100"),
                bearer(client.rootToken()));
        assertEquals(200, events.status(), events::toString);
        List<String> paths = events.json().findValuesAsText("resourcePath");
        assertTrue(paths.contains("proxyme/delegations/" + bobs.text("delegation_id") + "/revoke"), paths::toString);
        assertTrue(paths.contains("proxyme/agents/" + agent.clientId() + "/revoke"), paths::toString);
    }

    /** A delegation's page shows what the agent did (refusals with their reason); the list finds by day granted. */
    @Test
    void anAdministratorSeesWhatTheAgentDidAndFindsByTheDayGranted() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply bobs = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        String token = bobs.text("delegation_token");
        String id = bobs.text("delegation_id");
        assertEquals(200, client.proxyCheck(token).status());
        assertEquals(200, client.proxyCheck(token).status());
        Reply refused = client.proxyCheckPresenting("DPoP " + token);
        assertEquals(401, refused.status(), refused::toString);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String yesterday =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/admin/delegations/" + id);
            browser.logInIfAsked("root", "root-password");
            String counts = browser.text("proxyme-admin-activity-counts");
            assertTrue(counts.contains("GET /") && counts.contains("allowed") && counts.contains("2"), counts);
            String latest = browser.text("proxyme-admin-activity");
            assertTrue(latest.contains("×2"), latest);
            assertTrue(
                    latest.contains("Its pass was not valid") && latest.contains("not DPoP-bound"),
                    () -> "the refusal in plain words, its reason beside: " + latest);

            String list = server.realmUrl(REALM) + "/proxyme/admin?agent=" + agent.clientId();
            browser.open(list + "&granted_from=" + today + "&granted_to=" + today);
            assertTrue(browser.has(By.id("proxyme-admin-row-" + id)), "granted today");
            assertEquals(
                    today, browser.await(By.id("proxyme-admin-granted-from")).getAttribute("value"));
            browser.open(list + "&granted_to=" + yesterday);
            assertTrue(browser.has(By.id("proxyme-admin-none")), "not granted by yesterday");
            browser.open(list + "&granted_from=tomorrow&granted_to=0000-13-45");
            assertTrue(browser.has(By.id("proxyme-admin-row-" + id)), "dates that mean nothing filter nothing");
            assertEquals("", browser.await(By.id("proxyme-admin-granted-from")).getAttribute("value"));
        }
    }

    /**
     * The master realm's administrators log in where they log in to the Admin Console and use the page of any realm;
     * the page exists only under the master realm, and for realms that exist.
     */
    @Test
    void aMasterRealmAdministratorUsesThePageOfAnyRealm() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply alices = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String id = alices.text("delegation_id");
        String page = server.realmUrl("master") + "/proxyme/admin/realms/" + REALM;
        try (Browser browser = new Browser()) {
            browser.open(page + "?agent=" + agent.clientId());
            browser.logInIfAsked("admin", server.masterAdminPassword());
            assertEquals("Realm: Proxyme integration tests", browser.text("proxyme-admin-realm"), "whose delegations");
            browser.await(By.id("proxyme-admin-open-" + id)).click();
            assertEquals("alice", browser.text("proxyme-admin-user"));
            browser.await(By.id("proxyme-admin-revoke-delegation-open")).click();
            browser.await(By.id("proxyme-admin-revoke-delegation")).click();
            assertTrue(
                    browser.await(By.id("proxyme-message")).getText().contains("Revoked"),
                    browser.text("proxyme-message"));
        }
        assertFalse(active(alices.text("delegation_token")), "revoked by the master realm's administrator");
        Reply events = client.get(
                URI.create(client.adminUri(REALM, "/admin-events") + "?resourceTypes=CUSTOM&max=100"),
                bearer(client.rootToken()));
        assertTrue(
                events.json().findValuesAsText("resourcePath").contains("proxyme/delegations/" + id + "/revoke"),
                "an admin event of the realm whose delegation ended: " + events);
        String viewer = "master-viewer-" + System.nanoTime();
        String viewerId = masterUserWithRoleOver(REALM, viewer, "view-users");
        try (Browser browser = new Browser()) {
            browser.open(page + "?agent=" + agent.clientId());
            browser.logInIfAsked(viewer, viewer + "-password");
            browser.await(By.id("proxyme-admin-open-" + id)).click();
            assertEquals("alice", browser.text("proxyme-admin-user"), "view-users over the realm: the page shows");
            assertFalse(browser.has(By.id("proxyme-admin-revoke-agent-open")), "and offers no revocation");
        } finally {
            master(client.adminUri("master", "/users/" + viewerId), "DELETE", null);
        }
        for (String nowhere : List.of(
                server.realmUrl(REALM) + "/proxyme/admin/realms/master",
                server.realmUrl("master") + "/proxyme/admin/realms/no-such-realm")) {
            Reply answer = client.request(URI.create(nowhere), "GET", null, null, Map.of("Accept", "text/html"));
            assertEquals(404, answer.status(), () -> nowhere + ": " + answer);
        }
    }

    /** A user of the master realm with one role of its client for {@code realm} ({@code {realm}-realm}). */
    private String masterUserWithRoleOver(String realm, String username, String role) {
        Reply created = master(
                client.adminUri("master", "/users"), "POST", ProxymeClient.newUser(username, username + "-password"));
        assertEquals(201, created.status(), created::toString);
        String location = created.headers().firstValue("Location").orElseThrow();
        String userId = location.substring(location.lastIndexOf('/') + 1);
        String realmClient = master(
                        URI.create(client.adminUri("master", "/clients") + "?clientId=" + realm + "-realm"),
                        "GET",
                        null)
                .json()
                .get(0)
                .get("id")
                .asText();
        Reply roleOf = master(client.adminUri("master", "/clients/" + realmClient + "/roles/" + role), "GET", null);
        Reply mapped = master(
                client.adminUri("master", "/users/" + userId + "/role-mappings/clients/" + realmClient),
                "POST",
                "[" + roleOf.body() + "]");
        assertEquals(204, mapped.status(), mapped::toString);
        return userId;
    }

    private Reply master(URI uri, String method, String json) {
        return client.send(
                uri,
                method,
                json == null ? null : "application/json",
                json,
                bearer(client.userToken("master", "admin", server.masterAdminPassword())));
    }

    @Test
    void keycloaksRolesDecideAndAFormFromElsewhereRevokesNothing() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply alices = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/admin");
            browser.logInIfAsked("clients-admin", "clients-admin-password");
            assertTrue(
                    browser.text("proxyme-message").contains("You may not do this here"),
                    "manage-clients alone does not show users' delegations");
        }
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/admin/delegations/" + alices.text("delegation_id"));
            browser.logInIfAsked("root", "root-password");
            browser.await(By.id("proxyme-admin-revoke-user-open"));
            Map<String, String> fields =
                    HtmlForms.hiddenFieldsOfFirstForm(browser.driver().getPageSource());
            StringBuilder body = new StringBuilder();
            fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
                    .append(name)
                    .append('=')
                    .append(value));
            Reply crossSite = client.request(
                    URI.create(server.realmUrl(REALM) + "/proxyme/admin/revoke"),
                    "POST",
                    "application/x-www-form-urlencoded",
                    body.toString(),
                    Map.of(
                            "Cookie", browser.cookieHeader(),
                            "Origin", "https://evil.example",
                            "Sec-Fetch-Site", "cross-site",
                            "Accept", "text/html"));
            assertEquals(403, crossSite.status(), crossSite::toString);
        }
        assertTrue(active(alices.text("delegation_token")), "nothing revoked");
    }

    /**
     * Genuine forms (the session's state checker and a fresh nonce) whose fields are odd: a clear page with the right
     * status, never a 500; and odd filters list nothing wrong.
     */
    @Test
    void oddFormsAndFiltersGetAClearPage() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply alices = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String detail = server.realmUrl(REALM) + "/proxyme/admin/delegations/" + alices.text("delegation_id");
        try (Browser browser = new Browser()) {
            browser.open(detail);
            browser.logInIfAsked("root", "root-password");
            browser.await(By.id("proxyme-admin-revoke-user-open"));
            String cookies = browser.cookieHeader();
            Map<String, Integer> cases = new java.util.LinkedHashMap<>();
            cases.put("what=bogus&target=x", 400);
            cases.put("what=delegation&target=", 400);
            cases.put("what=delegation", 400);
            cases.put("what=delegation&target=6f1f1a2e-0000-4000-8000-000000000000", 404);
            cases.put("what=user&target=no-such-user", 404);
            cases.put("what=agent&target=portal-a", 404);
            cases.put("what=agent&target=%E2%80%AE" + agent.clientId(), 404);
            cases.put("what=DELEGATION&target=" + alices.text("delegation_id"), 400);
            cases.forEach((fields, status) -> {
                Reply page = client.request(
                        URI.create(detail), "GET", null, null, Map.of("Cookie", cookies, "Accept", "text/html"));
                Map<String, String> genuine = HtmlForms.hiddenFieldsOfFirstForm(page.body());
                Reply reply = client.request(
                        URI.create(server.realmUrl(REALM) + "/proxyme/admin/revoke"),
                        "POST",
                        "application/x-www-form-urlencoded",
                        "state_checker=" + genuine.get("state_checker") + "&nonce=" + genuine.get("nonce") + "&"
                                + fields,
                        Map.of(
                                "Cookie",
                                cookies,
                                "Origin",
                                server.baseUri().toString().replaceAll("/$", ""),
                                "Sec-Fetch-Site",
                                "same-origin",
                                "Accept",
                                "text/html"));
                assertEquals(status, reply.status(), () -> fields + " -> " + reply);
                assertTrue(reply.body().contains("proxyme-message"), () -> fields + ": a page that says why");
                assertFalse(reply.body().contains("Exception"), fields);
            });
            // A NUL byte in the query is refused before Proxyme sees it (400); the rest list what they can.
            Map<String, Integer> filters = Map.of(
                    "?status=sleeping",
                    200,
                    "?first=-5",
                    200,
                    "?first=lots",
                    200,
                    "?username=%00",
                    400,
                    "?portal=%27",
                    200);
            for (String filter : filters.keySet()) {
                Reply listed = client.request(
                        URI.create(server.realmUrl(REALM) + "/proxyme/admin" + filter),
                        "GET",
                        null,
                        null,
                        Map.of("Cookie", cookies, "Accept", "text/html"));
                assertEquals(filters.get(filter), listed.status(), () -> filter + " -> " + listed);
                assertFalse(listed.body().contains("Exception"), filter);
            }
        }
        assertTrue(active(alices.text("delegation_token")), "none of them revoked anything");
    }

    private boolean activeAtB(String token) {
        return client.introspect(token, "portal-b", "portal-b-secret")
                .get("active")
                .asBoolean();
    }

    private boolean active(String token) {
        return client.introspect(token, "portal-a", "portal-a-secret")
                .get("active")
                .asBoolean();
    }
}
