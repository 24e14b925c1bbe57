package dev.proxyme.consent;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.DPoPKey;
import dev.proxyme.testsupport.Eventually;
import dev.proxyme.testsupport.HtmlForms;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;
import dev.proxyme.testsupport.TestRealm;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent asks, the user decides in Keycloak's UI (real Chromium), the agent polls: RFC 8628 style. */
@ExtendWith(KeycloakServerExtension.class)
class ConsentIT {

    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("proxyme.repo", ".")).resolve("target/screenshots");

    private final KeycloakServer server;
    /** The integration tests' realm, or a test's own (see {@link #inARealmOfItsOwn}). */
    private ProxymeClient client;

    private RegisteredAgent agent;

    ConsentIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        Reply reply = client.proxyme(
                "register_agent",
                bearer(client.rootToken()),
                Map.of(
                        "name",
                        "Invoice Assistant",
                        "scopes",
                        List.of("read", "write"),
                        "portals",
                        List.of("portal-a")));
        assertEquals(201, reply.status(), reply::toString);
        agent = new RegisteredAgent(reply.text("client_id"), reply.text("client_secret"));
    }

    @Test
    void theUserApprovesAndTheAgentsPollReturnsAToken() {
        JsonNode request = request(List.of("read"), "alice", "Summarise this month's <b>invoices</b> & flag late ones");
        assertTrue(request.get("user_code").asText().matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"));
        assertEquals(
                server.realmUrl(REALM) + "/proxyme/consent",
                request.get("verification_uri").asText());
        assertEquals(5, request.get("interval").asInt());
        assertTrue(request.get("expires_in").asInt() > 590);
        assertError(poll(request), 400, "authorization_pending");

        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals(
                    "Invoice Assistant asks for access",
                    browser.text("proxyme-title"),
                    browser.driver()::getCurrentUrl);
            assertTrue(browser.text("proxyme-request").contains("Portal A"));
            assertTrue(browser.text("proxyme-parties").contains(agent.clientId()));
            assertTrue(browser.text("proxyme-parties").contains("portal-a"));
            assertEquals("Read your data in the portal", browser.text("proxyme-scope-read"));
            assertFalse(browser.has(By.id("proxyme-scope-write")), "only what was asked for");
            assertEquals(
                    "Summarise this month's <b>invoices</b> & flag late ones",
                    browser.text("proxyme-purpose"),
                    "the agent's text is shown as text, never as markup");
            assertTrue(browser.text("proxyme-duration").contains("1 hour"));
            assertTrue(browser.text("proxyme-duration").contains("5 minutes"));
            browser.screenshot(SCREENSHOTS.resolve("consent-page.png"));

            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-approved",
                    browser.await(By.id("proxyme-result")).getAttribute("class"));
        }

        Reply granted = pollUntilDecided(request);
        assertEquals(200, granted.status(), granted::toString);
        assertEquals("read", granted.text("scope"));
        assertEquals("portal-a", granted.text("portal"));
        JsonNode introspection = client.introspect(granted.text("delegation_token"), "portal-a", "portal-a-secret");
        assertTrue(introspection.get("active").asBoolean());
        assertEquals(client.userId("alice"), introspection.get("sub").asText());
        assertError(poll(request), 400, "expired_token");

        JsonNode trail = client.get(
                        client.adminUri(REALM, "/proxyme/delegations/" + granted.text("delegation_id")),
                        bearer(client.rootToken()))
                .json();
        assertEquals(
                "USER:" + client.userId("alice"),
                trail.get("delegation").get("granted_by").asText());
        assertEquals(
                "Summarise this month's <b>invoices</b> & flag late ones",
                trail.get("audit").get(0).get("detail").asText());
    }

    @Test
    void theUserDenies() {
        JsonNode request = request(List.of("read", "write"), null, "Tidy up my reports");
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-deny")).click();
            assertEquals(
                    "proxyme-result-denied",
                    browser.await(By.id("proxyme-result")).getAttribute("class"));
        }
        assertError(pollUntilDecided(request), 400, "access_denied");
        assertError(poll(request), 400, "expired_token");
    }

    @Test
    void anotherUserLoggedInGetsNothingAndMaySwitchAccount() {
        JsonNode request = request(List.of("read"), "bob@example.org", "Check bob's invoices");
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertTrue(browser.text("proxyme-wrong-user").contains("alice"));
            assertFalse(browser.has(By.id("proxyme-approve")));
            String switchAccount =
                    browser.await(By.id("proxyme-switch-account")).getAttribute("href");
            assertTrue(
                    switchAccount.startsWith(server.realmUrl(REALM) + "/protocol/openid-connect/logout?"),
                    switchAccount);
        }
        assertError(poll(request), 400, "authorization_pending");
    }

    @Test
    void theUserMayTypeTheCodeAndSeesTheirLanguage() {
        JsonNode request = request(List.of("read"), "bob", "Lies meine Rechnungen");
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri").asText());
            browser.logInIfAsked("bob", "bob-password");
            browser.await(By.id("proxyme-user-code"))
                    .sendKeys(request.get("user_code").asText().toLowerCase().replace("-", " "));
            browser.await(By.id("proxyme-code-submit")).click();
            assertEquals("Zustimmen", browser.text("proxyme-approve"), "bob's locale is German");
            assertTrue(browser.text("proxyme-title").contains("bittet um Zugriff"));
            assertEquals(
                    "Ihre Daten im Portal lesen",
                    browser.text("proxyme-scope-read"),
                    "the scope's consent text is a key of the realm's messages, in bob's language too");
            browser.screenshot(SCREENSHOTS.resolve("consent-page-de.png"));
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        assertEquals(200, pollUntilDecided(request).status());
    }

    @Test
    void aWrongCodeIsRefusedPolitely() {
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/consent?user_code=BCDF-GHJK");
            browser.logInIfAsked("alice", "alice-password");
            assertTrue(browser.text("proxyme-code-error").contains("not valid"));
        }
    }

    @Test
    void anExpiredRequestCanNoLongerBeApproved() {
        try (TestRealm quickRequests = inARealmOfItsOwn("quick-requests")) {
            setRequestLifespan("5");
            JsonNode request = request(List.of("read"), null, "Quick look");
            Reply outcome = Eventually.await(
                    () -> poll(request),
                    reply -> "expired_token".equals(reply.text("error")),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    "the request to expire");
            assertError(outcome, 400, "expired_token");
            try (Browser browser = new Browser()) {
                browser.open(request.get("verification_uri_complete").asText());
                browser.logInIfAsked("alice", "alice-password");
                assertTrue(browser.text("proxyme-code-error").contains("expired"));
                assertFalse(browser.has(By.id("proxyme-approve")));
            }
        }
    }

    /** This test's client and agent in a copy of the test realm, for what it changes realm-wide. */
    private TestRealm inARealmOfItsOwn(String purpose) {
        TestRealm realm = TestRealm.copyOfTheTestRealm(server, client, purpose);
        client = realm.client();
        registerAgent();
        return realm;
    }

    /**
     * Ten wrong codes a minute per source address (RFC 8628 section 5.1: user codes must resist guessing). The test's
     * guesses leave from 127.0.0.2, so the limit they trip does not reach the other tests, which use 127.0.0.1.
     */
    @Test
    void wrongUserCodesAreLimitedPerAddress() throws Exception {
        JsonNode request = request(List.of("read"), null, "Read invoices");
        String code = request.get("user_code").asText();
        ProxymeClient guesser = new ProxymeClient(server, java.net.InetAddress.getByName("127.0.0.2"));
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve"));
            String cookies = browser.cookieHeader();
            String wrong = new StringBuilder(code.replace("-", "")).reverse().toString();
            for (int attempt = 1; attempt <= 10; attempt++) {
                Reply guess = codePage(guesser, wrong, cookies);
                assertEquals(400, guess.status(), "wrong code " + attempt + ": " + guess.status());
                assertTrue(guess.body().contains("not valid"), "wrong code " + attempt);
            }
            Reply limited = codePage(guesser, code, cookies);
            assertEquals(400, limited.status(), "the eleventh attempt is refused, even with the right code");
            assertTrue(limited.body().contains("Too many wrong codes"), limited::toString);
            assertFalse(limited.body().contains("proxyme-approve"), "no consent form behind the limit");

            Reply otherAddress = codePage(client, code, cookies);
            assertEquals(200, otherAddress.status(), "another address is not limited");
            assertTrue(otherAddress.body().contains("proxyme-approve"));
        }
    }

    private Reply codePage(ProxymeClient from, String code, String cookies) {
        return from.request(
                URI.create(server.realmUrl(REALM) + "/proxyme/consent?user_code=" + code),
                "GET",
                null,
                null,
                Map.of("Cookie", cookies, "Accept", "text/html", "Accept-Language", "en"));
    }

    @Test
    void replayedOrForgedFormsGrantNothing() {
        JsonNode request = request(List.of("read"), null, "Read invoices");
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve"));
            String cookies = browser.cookieHeader();
            String origin = server.baseUri().toString();

            Map<String, String> form = hiddenFields(consentPageHtml(request, cookies));
            form.put("decision", "approve");
            assertRefused(decide(form, cookies, "https://evil.example"), "foreign Origin");
            assertRefused(decide(form, cookies, null), "no Origin");
            assertRefused(decide(form, cookies, "null", "cross-site"), "opaque Origin from another site");
            assertRefused(
                    decide(form, cookies, "https://evil.example", "same-origin"),
                    "a foreign Origin outweighs the rest");
            Map<String, String> noChecker = new LinkedHashMap<>(form);
            noChecker.put("state_checker", "forged");
            assertRefused(decide(noChecker, cookies, origin), "wrong state checker");
            Map<String, String> forgedNonce = new LinkedHashMap<>(form);
            forgedNonce.put("nonce", "6f1f1a2e-0000-4000-8000-000000000000");
            assertRefused(decide(forgedNonce, cookies, origin), "forged nonce");
            assertRefused(decide(form, "", origin), "no session cookie");
            assertError(poll(request), 400, "authorization_pending");

            // The browser's own form still works once; replaying the very same form afterwards is refused.
            Map<String, String> browserForm = hiddenFields(browser.driver().getPageSource());
            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-approved",
                    browser.await(By.id("proxyme-result")).getAttribute("class"));
            browserForm.put("decision", "approve");
            Reply replayed = decide(browserForm, cookies, origin);
            assertTrue(replayed.status() == 403 || replayed.status() == 400, replayed::toString);
            assertTrue(
                    replayed.headers().firstValue("X-Frame-Options").isPresent()
                            || replayed.headers()
                                    .firstValue("Content-Security-Policy")
                                    .orElse("")
                                    .contains("frame-ancestors"),
                    "frame protection as Keycloak's own pages");
        }
        Reply granted = pollUntilDecided(request);
        assertEquals(200, granted.status());
        JsonNode trail = client.get(
                        client.adminUri(REALM, "/proxyme/delegations/" + granted.text("delegation_id")),
                        bearer(client.rootToken()))
                .json();
        assertEquals(
                1,
                trail.get("audit").findValuesAsText("action").stream()
                        .filter("DELEGATION_CREATED"::equals)
                        .count(),
                "exactly one delegation came of all those forms");
    }

    @Test
    void stepUpShowsTheUnionAndReplacesTheOldDelegation() {
        Reply first = approve(request(List.of("read"), "alice", "Read invoices"), "alice", "alice-password");
        JsonNode second = request(List.of("write"), "alice", "Also file corrections");
        Reply stepped;
        try (Browser browser = new Browser()) {
            browser.open(second.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertTrue(browser.text("proxyme-scopes-title").contains("already"));
            assertFalse(browser.await(By.id("proxyme-scope-read"))
                    .getAttribute("class")
                    .contains("proxyme-scope-new"));
            assertTrue(browser.await(By.id("proxyme-scope-write"))
                    .getAttribute("class")
                    .contains("proxyme-scope-new"));
            browser.screenshot(SCREENSHOTS.resolve("consent-step-up.png"));
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        stepped = pollUntilDecided(second);
        assertEquals(200, stepped.status(), stepped::toString);
        assertEquals(
                java.util.Set.of("read", "write"),
                java.util.Set.of(stepped.text("scope").split(" ")));
        assertFalse(active(first.text("delegation_token")), "the replaced delegation's tokens end");
        assertTrue(active(stepped.text("delegation_token")));
        assertEquals(
                "superseded",
                client.get(
                                client.adminUri(REALM, "/proxyme/delegations/" + first.text("delegation_id")),
                                bearer(client.rootToken()))
                        .json()
                        .get("delegation")
                        .get("end_reason")
                        .asText());
    }

    /**
     * One box per scope: the user approves less than the agent asks, or nothing, which allows nothing, also of what a
     * step-up would have kept.
     */
    @Test
    void theUserApprovesLessThanAskedOrNothing() {
        JsonNode asked = request(List.of("read", "write"), "alice", "Sort invoices");
        try (Browser browser = new Browser()) {
            browser.open(asked.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals("Signed in as alice · not you?", browser.text("proxyme-signed-in-as"), "who is granting");
            browser.await(By.id("proxyme-scope-check-write")).click();
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        Reply granted = pollUntilDecided(asked);
        assertEquals(200, granted.status(), granted::toString);
        assertEquals("read", granted.text("scope"), "only what stayed checked");

        JsonNode again = request(List.of("write"), "alice", "File corrections");
        try (Browser browser = new Browser()) {
            browser.open(again.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-scope-check-read")).click();
            browser.await(By.id("proxyme-scope-check-write")).click();
            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-denied",
                    browser.await(By.id("proxyme-result")).getAttribute("class"),
                    "nothing checked allows nothing");
        }
        assertError(pollUntilDecided(again), 400, "access_denied");
        assertFalse(
                active(granted.text("delegation_token")),
                "unchecking what was granted before ends it too, as the page says");
    }

    /**
     * Two consent pages open in two tabs for one agent, both replacing the same access. A decision holds to what its
     * page showed: approving after the other tab ended that access changes nothing and says so (409), the request
     * stays open, and the page opened again shows what is current; unchecking everything after the other tab approved
     * (the page reloaded) ends that newer access, as its page says.
     */
    @Test
    void decisionsInTwoTabsEachSayWhatTheyDid() {
        approve(request(List.of("read"), "alice", "Read invoices"), "alice", "alice-password");
        JsonNode approving = request(List.of("write"), "alice", "File corrections");
        JsonNode unchecking = request(List.of("write"), "alice", "File more corrections");
        try (Browser browser = new Browser()) {
            browser.open(approving.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            String approvingTab = browser.driver().getWindowHandle();
            browser.await(By.id("proxyme-approve"));
            assertTrue(browser.has(By.id("proxyme-scope-read")), "the page shows what it would replace");
            browser.driver().switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            uncheckEverythingAndApprove(browser, unchecking);
            browser.driver().switchTo().window(approvingTab);
            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-changed",
                    browser.await(By.id("proxyme-result")).getAttribute("class"),
                    "what the page showed as granted is gone: nothing is decided on it");
            assertEquals("authorization_pending", poll(approving).text("error"), "the request is still open");
            browser.open(approving.get("verification_uri_complete").asText());
            assertFalse(browser.has(By.id("proxyme-scope-read")), "shown again as it stands now");
            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-approved",
                    browser.await(By.id("proxyme-result")).getAttribute("class"));
            assertEquals(
                    List.of("Change your data in the portal"),
                    browser.driver().findElements(By.cssSelector("#proxyme-result-scopes li")).stream()
                            .map(org.openqa.selenium.WebElement::getText)
                            .toList());
        }
        Reply writeOnly = pollUntilDecided(approving);
        assertEquals("write", writeOnly.text("scope"), writeOnly::toString);

        JsonNode first = request(List.of("read"), "alice", "Read invoices");
        JsonNode late = request(List.of("read"), "alice", "Read invoices again");
        Reply approvedFirst;
        try (Browser browser = new Browser()) {
            browser.open(late.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            String lateTab = browser.driver().getWindowHandle();
            browser.await(By.id("proxyme-approve"));
            browser.driver().switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            browser.open(first.get("verification_uri_complete").asText());
            browser.await(By.id("proxyme-approve")).click();
            assertEquals(
                    "proxyme-result-approved",
                    browser.await(By.id("proxyme-result")).getAttribute("class"));
            approvedFirst = pollUntilDecided(first);
            assertEquals(200, approvedFirst.status(), approvedFirst::toString);
            assertTrue(active(approvedFirst.text("delegation_token")));
            browser.driver().switchTo().window(lateTab);
            browser.driver().navigate().refresh();
            uncheckEverythingAndApprove(browser, null);
        }
        assertFalse(active(approvedFirst.text("delegation_token")), "the late page ended it, as it said it would");
        assertFalse(active(writeOnly.text("delegation_token")));
    }

    /** Unchecks every scope of the consent page (opened at {@code request}, or the one showing) and approves. */
    private void uncheckEverythingAndApprove(Browser browser, JsonNode request) {
        if (request != null) {
            browser.open(request.get("verification_uri_complete").asText());
        }
        browser.await(By.id("proxyme-approve"));
        browser.driver().findElements(By.cssSelector("input[name='scope']")).forEach(box -> {
            if (box.isSelected()) {
                box.click();
            }
        });
        browser.await(By.id("proxyme-approve")).click();
        assertEquals(
                "proxyme-result-denied", browser.await(By.id("proxyme-result")).getAttribute("class"));
    }

    /** Asking again for what is already granted is no step-up: the page does not say the agent asks for more. */
    @Test
    void askingAgainForWhatIsGrantedIsNoStepUp() {
        approve(request(List.of("read"), "alice", "Read invoices"), "alice", "alice-password");
        JsonNode again = request(List.of("read"), "alice", "Read invoices again");
        try (Browser browser = new Browser()) {
            browser.open(again.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals("It asks to:", browser.text("proxyme-scopes-title"), "no 'now asks for more'");
            assertFalse(browser.has(By.cssSelector(".proxyme-new-badge")), "nothing is marked new");
        }
    }

    @Test
    void revokingTheAgentInTheAccountConsoleEndsTheDelegation() {
        Reply granted = approve(request(List.of("read"), "alice", "Read invoices"), "alice", "alice-password");
        String aliceId = client.userId("alice");
        Reply consents =
                client.get(client.adminUri(REALM, "/users/" + aliceId + "/consents"), bearer(client.rootToken()));
        assertTrue(
                consents.json().findValuesAsText("clientId").contains(agent.clientId()),
                "the agent appears among the user's applications: " + consents);

        URI accountConsent =
                URI.create(server.realmUrl(REALM) + "/account/applications/" + agent.clientId() + "/consent");
        Reply revoked =
                client.send(accountConsent, "DELETE", null, null, bearer(client.userToken("alice", "alice-password")));
        assertEquals(204, revoked.status(), revoked::toString);

        assertFalse(active(granted.text("delegation_token")));
        assertEquals(
                "consent_revoked_in_keycloak",
                client.get(
                                client.adminUri(REALM, "/proxyme/delegations/" + granted.text("delegation_id")),
                                bearer(client.rootToken()))
                        .json()
                        .get("delegation")
                        .get("end_reason")
                        .asText());
    }

    @Test
    void onlyTheRequestingAgentMayPollAndOnlyAgentsMayAsk() {
        JsonNode request = request(List.of("read"), null, "Read");
        RegisteredAgent other = client.registerAgent(List.of("read"), List.of("portal-a"));
        assertError(
                client.proxyme(
                        "delegate",
                        other.basicAuth(),
                        Map.of("request_id", request.get("request_id").asText())),
                400,
                "invalid_grant");
        assertError(
                client.proxyme("delegate", agent.basicAuth(), Map.of("request_id", "unknown")), 400, "expired_token");
        assertError(poll(request), 400, "authorization_pending");
        assertError(poll(request), 400, "slow_down");

        Map<String, Object> body = Map.of("scopes", List.of("read"), "portal", "portal-a", "purpose", "x");
        assertError(client.proxyme("request_delegation", ProxymeClient.BACKEND, body), 403, "unauthorized_client");
        assertError(client.proxyme("request_delegation", null, body), 401, "invalid_client");
        assertError(
                client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of("scopes", List.of("admin"), "portal", "portal-a", "purpose", "x")),
                400,
                "invalid_scope");
        assertError(
                client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of("scopes", List.of("read"), "portal", "portal-b", "purpose", "x")),
                400,
                "invalid_target");
        assertError(
                client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of("scopes", List.of("read"), "portal", "portal-a")),
                400,
                "invalid_request");
        assertError(
                client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of("scopes", List.of("read"), "portal", "portal-a", "purpose", "x".repeat(201))),
                400,
                "invalid_request");
    }

    private Reply approve(JsonNode request, String username, String password) {
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked(username, password);
            browser.await(By.id("proxyme-approve"));
            assertTrue(
                    browser.driver().getTitle().contains("asks for access"),
                    () -> "the page's title says what it is: "
                            + browser.driver().getTitle());
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            assertTrue(
                    browser.await(By.id("proxyme-manage-access"))
                            .getAttribute("href")
                            .endsWith("/proxyme/delegations"),
                    "the result page links to where the user manages access");
        }
        Reply granted = pollUntilDecided(request);
        assertEquals(200, granted.status(), granted::toString);
        return granted;
    }

    /** An MCP server's envelope routes are shown by their tools' names, beside the route as enforced. */
    @Test
    void anEnvelopeRouteForAToolIsShownByTheToolsName() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scopes", List.of("read"));
        body.put("portal", "portal-a");
        body.put("purpose", "Fetch the quarterly report");
        body.put("envelope", Map.of("budget", 20, "routes", List.of("POST /mcp tools/call get_report", "GET /status")));
        Reply asked = client.proxyme("request_delegation", agent.basicAuth(), body);
        assertEquals(200, asked.status(), asked::toString);
        try (Browser browser = new Browser()) {
            browser.open(asked.json().get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals(
                    "POST /mcp tools/call get_report",
                    browser.await(By.id("proxyme-envelope-route-0")).getAttribute("value"));
            assertEquals("Use its tool “get_report”", browser.text("proxyme-envelope-route-words-0"));
            assertEquals("Read /status", browser.text("proxyme-envelope-route-words-1"), "a path is no tool");
            browser.await(By.id("proxyme-deny")).click();
        }
    }

    /**
     * The agent proposes an envelope; the page shows it as it will be enforced and lets the user narrow it; the proxy
     * enforces exactly what was approved, and the user's page counts it down. A form asking for more than proposed is
     * refused.
     */
    @Test
    void theUserNarrowsTheProposedEnvelopeAndTheProxyEnforcesWhatWasApproved() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scopes", List.of("read"));
        body.put("portal", "portal-a");
        body.put("purpose", "Read two reports");
        body.put("envelope", Map.of("budget", 50, "routes", List.of("GET /reports/*", "POST /reports/*")));
        Reply asked = client.proxyme("request_delegation", agent.basicAuth(), body);
        assertEquals(200, asked.status(), asked::toString);
        JsonNode request = asked.json();
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals("50", browser.await(By.id("proxyme-envelope-budget")).getAttribute("value"));
            assertEquals("50", browser.await(By.id("proxyme-envelope-budget")).getAttribute("max"));
            assertEquals(
                    "GET /reports/*",
                    browser.await(By.id("proxyme-envelope-route-0")).getAttribute("value"));
            assertEquals(
                    "POST /reports/*",
                    browser.await(By.id("proxyme-envelope-route-1")).getAttribute("value"));

            // A page tampered with to ask for more than the agent proposed grants nothing.
            ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                    .executeScript(
                            "var budget = document.getElementById('proxyme-envelope-budget'); budget.removeAttribute('max'); budget.value = '5000';");
            browser.await(By.id("proxyme-approve")).click();
            assertTrue(
                    browser.await(By.id("proxyme-result")).getAttribute("class").contains("proxyme-result-refused"));
            assertEquals("authorization_pending", poll(request).text("error"));

            browser.open(request.get("verification_uri_complete").asText());
            browser.await(By.id("proxyme-envelope-budget")).clear();
            browser.await(By.id("proxyme-envelope-budget")).sendKeys("2");
            browser.await(By.id("proxyme-envelope-route-1")).click();
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        Reply granted = pollUntilDecided(request);
        assertEquals(200, granted.status(), granted::toString);
        String token = granted.text("delegation_token");
        JsonNode trail =
                client.trail(granted.text("delegation_id")).get("delegation").get("envelope");
        assertEquals(2, trail.get("budget").asInt(), trail::toString);
        assertEquals(List.of("GET /reports/*"), ProxymeClient.JSON.convertValue(trail.get("routes"), List.class));
        client.setPortalRoutes("portal-a", null);
        Map<String, String> get = ProxymeClient.proxyHeaders(
                "portal-a",
                Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/reports/1", "Authorization", bearer(token)));
        URI check = client.proxymeUri(REALM, "proxy/check");
        assertEquals(
                403,
                client.request(
                                check,
                                "GET",
                                null,
                                null,
                                ProxymeClient.proxyHeaders(
                                        "portal-a",
                                        Map.of(
                                                "X-Forwarded-Method",
                                                "POST",
                                                "X-Forwarded-Uri",
                                                "/reports/1",
                                                "Authorization",
                                                bearer(token))))
                        .status(),
                "the route the user unticked");
        assertEquals(200, client.request(check, "GET", null, null, get).status());
        assertEquals(200, client.request(check, "GET", null, null, get).status());
        assertEquals(403, client.request(check, "GET", null, null, get).status(), "the budget the user set");
        JsonNode mine = client.myDelegations("alice", "alice-password").get("active");
        JsonNode listed = null;
        for (JsonNode delegation : mine) {
            if (delegation.get("id").asText().equals(granted.text("delegation_id"))) {
                listed = delegation;
            }
        }
        assertNotNull(listed);
        assertEquals(2, listed.get("envelope").get("used").asInt(), listed::toString);
    }

    /**
     * The window: the user may end it sooner than the agent asked (minutes from now), never later; and no window is
     * shown or kept beyond the delegation's own end.
     */
    @Test
    void theUserEndsTheWindowSoonerAndNoWindowOutlastsItsDelegation() {
        long now = System.currentTimeMillis() / 1000;
        JsonNode sooner = envelopeRequest(Map.of("not_after", now + 3600));
        JsonNode beyond = envelopeRequest(Map.of("not_after", now + 400 * 24 * 3600));
        try (Browser browser = new Browser()) {
            browser.open(sooner.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            long offered = Long.parseLong(
                    browser.await(By.id("proxyme-envelope-minutes")).getAttribute("max"));
            assertTrue(offered == 59 || offered == 60, "the minutes left of the agent's window: " + offered);
            browser.await(By.id("proxyme-envelope-minutes")).sendKeys("30");
            long approvedFrom = System.currentTimeMillis() / 1000;
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            long approvedTo = System.currentTimeMillis() / 1000;
            // Collected before the next approval, which replaces this delegation (one per agent, user and portal).
            Reply first = pollUntilDecided(sooner);
            assertEquals(200, first.status(), first::toString);
            long notAfter = client.trail(first.text("delegation_id"))
                    .get("delegation")
                    .get("envelope")
                    .get("not_after")
                    .asLong();
            assertTrue(
                    notAfter >= approvedFrom + 1800 && notAfter <= approvedTo + 1800,
                    "ends 30 minutes after approval: " + notAfter);

            browser.open(beyond.get("verification_uri_complete").asText());
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        Reply second = pollUntilDecided(beyond);
        assertEquals(200, second.status(), second::toString);
        JsonNode delegation = client.trail(second.text("delegation_id")).get("delegation");
        assertEquals(
                delegation.get("expires_at").asLong() / 1000,
                delegation.get("envelope").get("not_after").asLong(),
                "the window ends with the delegation: " + delegation);
    }

    /**
     * A step-up that asks for another scope and no envelope keeps what is left of the current access's limits (the page
     * says so and shows them), and a key the current access was bound to binds the new one: asking for more never lifts
     * a limit unseen, nor yields a token without the key.
     */
    @Test
    void aStepUpKeepsWhatIsLeftOfTheLimitsAndTheKey() {
        client.setPortalRoutes("portal-a", null);
        JsonNode first = envelopeRequest(Map.of("budget", 5, "routes", List.of("GET /reports/*")));
        URI delegate = client.proxymeUri(REALM, "delegate");
        URI check = client.proxymeUri(REALM, "proxy/check");
        DPoPKey key = new DPoPKey();
        JsonNode stepUp;
        try (Browser browser = new Browser()) {
            browser.open(first.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            Reply granted = pollUntilDecided(first);
            assertEquals(200, granted.status(), granted::toString);
            Map<String, String> get = ProxymeClient.proxyHeaders(
                    "portal-a",
                    Map.of(
                            "X-Forwarded-Method",
                            "GET",
                            "X-Forwarded-Uri",
                            "/reports/1",
                            "Authorization",
                            bearer(granted.text("delegation_token"))));
            assertEquals(200, client.request(check, "GET", null, null, get).status());
            assertEquals(200, client.request(check, "GET", null, null, get).status());
            Reply bound = client.request(
                    delegate,
                    "POST",
                    "application/json",
                    ProxymeClient.json(Map.of("delegation_id", granted.text("delegation_id"))),
                    Map.of("Authorization", agent.basicAuth(), "DPoP", key.proof("POST", delegate.toString())));
            assertEquals("DPoP", bound.text("token_type"), bound::toString);

            stepUp = stepUpRequest(null);
            browser.open(stepUp.get("verification_uri_complete").asText());
            assertTrue(browser.await(By.id("proxyme-envelope-kept")).isDisplayed());
            assertEquals(
                    "3", browser.await(By.id("proxyme-envelope-budget")).getAttribute("value"), "what is left of 5");
            assertEquals(
                    "GET /reports/*",
                    browser.await(By.id("proxyme-envelope-route-0")).getAttribute("value"));
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
        }
        Reply withoutKey = pollUntilDecided(stepUp);
        assertEquals(400, withoutKey.status(), withoutKey::toString);
        assertEquals("invalid_dpop_proof", withoutKey.text("error"), "the new access is bound to the same key");
        Reply collected = Eventually.await(
                () -> client.request(
                        delegate,
                        "POST",
                        "application/json",
                        ProxymeClient.json(
                                Map.of("request_id", stepUp.get("request_id").asText())),
                        Map.of("Authorization", agent.basicAuth(), "DPoP", key.proof("POST", delegate.toString()))),
                reply -> !(reply.status() == 400 && "slow_down".equals(reply.text("error"))),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                "a poll past slow_down");
        Reply outcome = collected;
        assertEquals(200, outcome.status(), () -> "the refused poll left the outcome to this one: " + outcome);
        assertEquals("DPoP", collected.text("token_type"));
        JsonNode envelope =
                client.trail(collected.text("delegation_id")).get("delegation").get("envelope");
        assertEquals(3, envelope.get("budget").asInt(), envelope::toString);
        assertEquals(List.of("GET /reports/*"), ProxymeClient.JSON.convertValue(envelope.get("routes"), List.class));
    }

    /**
     * A used-up budget stays used up through a step-up that proposes none (the page says so, and no form field adds to
     * it); more calls take an envelope the agent proposes, which the page says replaces the old limits.
     */
    @Test
    void aUsedUpBudgetStaysUsedUpUntilTheAgentAsksForMore() {
        client.setPortalRoutes("portal-a", null);
        URI check = client.proxymeUri(REALM, "proxy/check");
        JsonNode first = envelopeRequest(Map.of("budget", 1));
        try (Browser browser = new Browser()) {
            browser.open(first.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            Reply granted = pollUntilDecided(first);
            assertEquals(
                    200,
                    client.request(check, "GET", null, null, reportsCall(granted.text("delegation_token")))
                            .status());
            assertEquals(
                    403,
                    client.request(check, "GET", null, null, reportsCall(granted.text("delegation_token")))
                            .status());

            JsonNode noEnvelope = stepUpRequest(null);
            browser.open(noEnvelope.get("verification_uri_complete").asText());
            assertTrue(browser.await(By.id("proxyme-envelope-used-up")).isDisplayed());
            assertTrue(
                    browser.driver()
                            .findElements(By.id("proxyme-envelope-budget"))
                            .isEmpty(),
                    "no field to add calls");
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            Reply steppedUp = pollUntilDecided(noEnvelope);
            assertEquals(200, steppedUp.status(), steppedUp::toString);
            assertEquals(
                    0,
                    client.trail(steppedUp.text("delegation_id"))
                            .get("delegation")
                            .get("envelope")
                            .get("budget")
                            .asInt());
            assertEquals(
                    403,
                    client.request(check, "GET", null, null, reportsCall(steppedUp.text("delegation_token")))
                            .status(),
                    "asking for another scope gave no more calls");

            JsonNode more = stepUpRequest(Map.of("budget", 5));
            browser.open(more.get("verification_uri_complete").asText());
            assertTrue(browser.await(By.id("proxyme-envelope-replaces")).isDisplayed());
            assertEquals("5", browser.await(By.id("proxyme-envelope-budget")).getAttribute("value"));
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            Reply renewed = pollUntilDecided(more);
            assertEquals(
                    200,
                    client.request(check, "GET", null, null, reportsCall(renewed.text("delegation_token")))
                            .status());
        }
    }

    /** A step-up that cannot be granted leaves the access it would have replaced as it was. */
    @Test
    void aStepUpThatCannotBeGrantedEndsNothing() {
        long now = System.currentTimeMillis() / 1000;
        JsonNode first = aliceAsked(
                List.of("read"), "Read the reports later today", 3600, Map.of("not_before", now + 1800, "budget", 5));
        try (Browser browser = new Browser()) {
            browser.open(first.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            String delegationId = pollUntilDecided(first).text("delegation_id");

            JsonNode stepUp = aliceAsked(List.of("write"), "Also file one report", 60, null);
            browser.open(stepUp.get("verification_uri_complete").asText());
            browser.await(By.id("proxyme-approve")).click();
            assertFalse(
                    browser.await(By.id("proxyme-result")).getAttribute("class").contains("proxyme-result-approved"),
                    "the kept window opens after the new access would end");
            assertEquals(
                    "ACTIVE",
                    client.trail(delegationId).get("delegation").get("status").asText(),
                    "the old access stays");
        }
    }

    private static Map<String, String> reportsCall(String token) {
        return ProxymeClient.proxyHeaders(
                "portal-a",
                Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/reports/1", "Authorization", bearer(token)));
    }

    private JsonNode stepUpRequest(Map<String, Object> envelope) {
        return aliceAsked(List.of("write"), "Also file the reports", null, envelope);
    }

    private JsonNode envelopeRequest(Map<String, Object> envelope) {
        return aliceAsked(List.of("read"), "Watch the reports for an hour", null, envelope);
    }

    /** The agent asks alice for portal-a: the scopes, why, for how long (null: the default) and within which envelope. */
    private JsonNode aliceAsked(List<String> scopes, String purpose, Integer seconds, Map<String, Object> envelope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scopes", scopes);
        body.put("portal", "portal-a");
        body.put("user", "alice");
        body.put("purpose", purpose);
        if (seconds != null) {
            body.put("expires_in", seconds);
        }
        if (envelope != null) {
            body.put("envelope", envelope);
        }
        Reply asked = client.proxyme("request_delegation", agent.basicAuth(), body);
        assertEquals(200, asked.status(), asked::toString);
        return asked.json();
    }

    private JsonNode request(List<String> scopes, String user, String purpose) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scopes", scopes);
        body.put("portal", "portal-a");
        body.put("purpose", purpose);
        if (user != null) {
            body.put("user", user);
        }
        Reply reply = client.proxyme("request_delegation", agent.basicAuth(), body);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private Reply poll(JsonNode request) {
        return client.proxyme(
                "delegate",
                agent.basicAuth(),
                Map.of("request_id", request.get("request_id").asText()));
    }

    /** Polls at the protocol's interval until the user's decision shows, within a deadline. */
    private Reply pollUntilDecided(JsonNode request) {
        return client.pollUntilDecided(
                agent.basicAuth(), request.get("request_id").asText());
    }

    private boolean active(String token) {
        return client.introspect(token, "portal-a", "portal-a-secret")
                .get("active")
                .asBoolean();
    }

    private String consentPageHtml(JsonNode request, String cookies) {
        Reply page = client.request(
                URI.create(request.get("verification_uri_complete").asText()),
                "GET",
                null,
                null,
                Map.of("Cookie", cookies, "Accept", "text/html"));
        assertEquals(200, page.status(), page::toString);
        return page.body();
    }

    private Reply decide(Map<String, String> form, String cookies, String origin) {
        return decide(form, cookies, origin, null);
    }

    private Reply decide(Map<String, String> form, String cookies, String origin, String fetchSite) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/html");
        if (!cookies.isEmpty()) {
            headers.put("Cookie", cookies);
        }
        if (origin != null) {
            headers.put("Origin", origin);
        }
        if (fetchSite != null) {
            headers.put("Sec-Fetch-Site", fetchSite);
        }
        return client.request(
                URI.create(server.realmUrl(REALM) + "/proxyme/consent/decision"),
                "POST",
                "application/x-www-form-urlencoded",
                body.toString(),
                headers);
    }

    private static void assertRefused(Reply reply, String why) {
        assertTrue(reply.status() == 403 || reply.status() == 401, why + ": " + reply.status());
        assertTrue(reply.body().contains("proxyme-result") && !reply.body().contains("proxyme-result-approved"), why);
    }

    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = HtmlForms.hiddenFieldsOfFirstForm(html);
        assertNotNull(fields.get("nonce"), "the consent form carries a nonce");
        return fields;
    }

    private void setRequestLifespan(String seconds) {
        Reply reply = client.send(
                client.adminUri(client.realm(), ""),
                "PUT",
                "application/json",
                "{\"attributes\":{\"proxyme.requestLifespanSeconds\":\"" + seconds + "\"}}",
                bearer(client.rootToken()));
        assertEquals(204, reply.status(), reply::toString);
    }
}
