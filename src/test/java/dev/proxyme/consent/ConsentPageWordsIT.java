package dev.proxyme.consent;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.proxyme.clients.RouteLabels;
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
 * The consent and user pages in the reader's words (real Chromium): routes as the portal labels them or as what they
 * do, the raw pattern beside; limits folded until there are some; times in the reader's time zone; a result page that
 * sums up; Keycloak's error style for a wrong code; the activity page's refusals in plain words.
 */
@ExtendWith(KeycloakServerExtension.class)
class ConsentPageWordsIT {

    private static final String LABEL_KEY = "proxymeTestFetchReportLabel";

    private final KeycloakServer server;
    private final ProxymeClient client;
    private String portal;
    private RegisteredAgent agent;

    ConsentPageWordsIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeEach
    void aLabelledPortalAndAnAgent() {
        portal = "portal-words-" + UUID.randomUUID().toString().substring(0, 8);
        client.createPortal(portal, "Report Portal", "https://" + portal + ".example");
        client.setClientAttribute(
                portal,
                RouteLabels.ATTRIBUTE,
                "GET,HEAD /reports/* | Read your reports\nPOST /mcp tools/call get_report | ${" + LABEL_KEY + "}\n"
                        + "not a route | ignored");
        localize("en", "Fetch one report for you");
        localize("de", "Einen Bericht für Sie holen");
        agent = client.registerAgent(List.of("read"), List.of(portal));
    }

    @AfterEach
    void removeThem() {
        client.deleteClient(agent.clientId());
        client.deleteClient(portal);
        for (String locale : List.of("en", "de")) {
            client.send(
                    client.adminUri(REALM, "/localization/" + locale + "/" + LABEL_KEY),
                    "DELETE",
                    null,
                    null,
                    bearer(client.rootToken()));
        }
    }

    @Test
    void routesReadInPlainWordsWithThePatternAsDetail() {
        JsonNode english = asked(
                "alice",
                Map.of(
                        "routes",
                        List.of(
                                "GET,HEAD /reports/*",
                                "DELETE /reports/old",
                                "POST /mcp tools/call get_report",
                                "PUT,PATCH /notes/*",
                                "* /admin")));
        try (Browser browser = new Browser()) {
            browser.open(english.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals("Read your reports", words(browser, 0), "the portal's label");
            assertEquals("Delete /reports/old", words(browser, 1), "no label: what the method does to the path");
            assertEquals(
                    "Fetch one report for you", words(browser, 2), "a label that is a key of the realm's messages");
            assertEquals("Change anything under /notes/", words(browser, 3));
            assertEquals("Do anything with /admin", words(browser, 4));
            assertEquals("GET,HEAD /reports/*", pattern(browser, 0), "the pattern enforced stays beside the words");
            assertEquals("POST /mcp tools/call get_report", pattern(browser, 2));
            browser.await(By.id("proxyme-deny")).click();
            browser.await(By.id("proxyme-result"));
        }
        JsonNode german =
                asked("bob", Map.of("routes", List.of("DELETE /reports/old", "POST /mcp tools/call get_report")));
        try (Browser browser = new Browser()) {
            browser.open(german.get("verification_uri_complete").asText());
            browser.logInIfAsked("bob", "bob-password");
            assertEquals("/reports/old löschen", words(browser, 0), "bob reads German");
            assertEquals("Einen Bericht für Sie holen", words(browser, 1));
            browser.await(By.id("proxyme-deny")).click();
            browser.await(By.id("proxyme-result"));
        }
    }

    /** An agent's words are shown as written: a "${key}" in its name or tool names is no key of the realm's messages. */
    @Test
    void anAgentsWordsAreNeverReadAsMessageKeys() {
        Reply registered = client.registerAgent(
                Map.of("name", "Agent ${proxymeAdminRevoked}", "scopes", List.of("read"), "portals", List.of(portal)));
        assertEquals(201, registered.status(), registered::toString);
        RegisteredAgent named = new RegisteredAgent(registered.text("client_id"), registered.text("client_secret"));
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("scopes", List.of("read"));
            body.put("portal", portal);
            body.put("user", "alice");
            body.put("purpose", "Sort the reports");
            body.put("envelope", Map.of("routes", List.of("POST /mcp tools/call ${proxymeSummaryAgent}")));
            Reply asked = client.proxyme("request_delegation", named.basicAuth(), body);
            assertEquals(200, asked.status(), asked::toString);
            try (Browser browser = new Browser()) {
                browser.open(asked.json().get("verification_uri_complete").asText());
                browser.logInIfAsked("alice", "alice-password");
                browser.await(By.id("proxyme-approve"));
                assertEquals("Agent ${proxymeAdminRevoked} asks for access", browser.text("proxyme-title"));
                assertTrue(
                        browser.text("proxyme-request").startsWith("Agent ${proxymeAdminRevoked} would like"),
                        () -> browser.text("proxyme-request"));
                assertTrue(
                        browser.driver().getTitle().startsWith("Agent ${proxymeAdminRevoked} asks"),
                        browser.driver()::getTitle);
                assertEquals("Use its tool “${proxymeSummaryAgent}”", words(browser, 0));
                browser.await(By.id("proxyme-deny")).click();
                browser.await(By.id("proxyme-result"));
            }
        } finally {
            client.deleteClient(named.clientId());
        }
    }

    @Test
    void limitsAreFoldedUntilThereAreSome() {
        JsonNode none = asked("alice", null);
        try (Browser browser = new Browser()) {
            browser.open(none.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            WebElement limits = browser.await(By.id("proxyme-envelope"));
            assertNull(limits.getAttribute("open"), "no limits proposed: folded");
            assertFalse(browser.driver()
                    .findElement(By.id("proxyme-envelope-budget"))
                    .isDisplayed());
            browser.await(By.id("proxyme-envelope-summary")).click();
            assertTrue(
                    browser.driver()
                            .findElement(By.id("proxyme-envelope-budget"))
                            .isDisplayed(),
                    "it unfolds");
            browser.await(By.id("proxyme-deny")).click();
            browser.await(By.id("proxyme-result"));
        }
        JsonNode some = asked("alice", Map.of("budget", 5));
        try (Browser browser = new Browser()) {
            browser.open(some.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            assertEquals(
                    "true", browser.await(By.id("proxyme-envelope")).getAttribute("open"), "limits proposed: open");
            assertTrue(browser.await(By.id("proxyme-envelope-budget")).isDisplayed());
            browser.await(By.id("proxyme-deny")).click();
            browser.await(By.id("proxyme-result"));
        }
    }

    @Test
    void timesAreInTheReadersTimeZone() {
        long notAfter = Instant.now().plusSeconds(2 * 3600).getEpochSecond() / 60 * 60;
        JsonNode request = asked("alice", Map.of("not_after", notAfter));
        try (Browser browser = new Browser()) {
            browser.inTimeZone("Asia/Kolkata");
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            WebElement time = browser.await(By.cssSelector("#proxyme-envelope-window time"));
            assertEquals(Instant.ofEpochSecond(notAfter).toString(), time.getAttribute("datetime"));
            String inKolkata = DateTimeFormatter.ofPattern("hh:mm", Locale.ROOT)
                    .format(Instant.ofEpochSecond(notAfter).atZone(ZoneId.of("Asia/Kolkata")));
            assertTrue(
                    time.getText().contains(inKolkata),
                    () -> "in Kolkata's time, " + inKolkata + ": " + time.getText());
            assertTrue(time.getText().contains("GMT+5:30"), time::getText);
            assertFalse(time.getText().contains("UTC"), time::getText);
            assertTrue(
                    browser.text("proxyme-envelope-window").startsWith("Only until "),
                    () -> browser.text("proxyme-envelope-window"));
            // Without scripts the page says UTC, as the server writes it.
            Reply html = client.request(
                    URI.create(request.get("verification_uri_complete").asText()),
                    "GET",
                    null,
                    null,
                    Map.of("Cookie", browser.cookieHeader(), "Accept", "text/html", "Accept-Language", "en"));
            String utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
                    .format(Instant.ofEpochSecond(notAfter).atZone(ZoneId.of("UTC")));
            assertTrue(html.body().contains(">" + utc + " UTC</time>"), html::body);
            browser.await(By.id("proxyme-deny")).click();
            browser.await(By.id("proxyme-result"));
        }
    }

    @Test
    void theResultPageSumsUpWhatWasDecided() {
        JsonNode approved = asked("alice", null);
        try (Browser browser = new Browser()) {
            browser.open(approved.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            assertEquals("Test agent", browser.text("proxyme-result-agent"));
            assertEquals("Report Portal", browser.text("proxyme-result-portal"));
            assertEquals(
                    List.of("Read your data in the portal"),
                    browser.driver().findElements(By.cssSelector("#proxyme-result-scopes li")).stream()
                            .map(WebElement::getText)
                            .toList());
            assertTrue(browser.has(By.cssSelector("#proxyme-result-until time")), "until when");
            assertTrue(browser.await(By.id("proxyme-manage-access"))
                    .getAttribute("href")
                    .endsWith("/proxyme/delegations"));
        }
        assertEquals(
                200,
                client.pollUntilDecided(
                                agent.basicAuth(), approved.get("request_id").asText())
                        .status());
        JsonNode denied = asked("alice", null);
        try (Browser browser = new Browser()) {
            browser.open(denied.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-deny")).click();
            browser.await(By.id("proxyme-result"));
            assertEquals("Report Portal", browser.text("proxyme-result-portal"));
            assertFalse(browser.has(By.id("proxyme-result-scopes")), "a refusal grants nothing to list");
            assertFalse(browser.has(By.id("proxyme-result-until")));
        }
    }

    @Test
    void aWrongCodeIsMarkedAsAnErrorInKeycloaksStyle() {
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/consent?user_code=BCDF-GHJK");
            browser.logInIfAsked("alice", "alice-password");
            WebElement input = browser.await(By.id("proxyme-user-code"));
            assertEquals("true", input.getAttribute("aria-invalid"));
            assertEquals("proxyme-code-error", input.getAttribute("aria-describedby"));
            assertTrue(browser.await(By.id("proxyme-code-error"))
                    .getAttribute("class")
                    .contains("pf-m-error"));
            WebElement box = input.findElement(By.xpath(".."));
            assertTrue(box.getAttribute("class").contains("pf-v5-c-form-control"), box.getAttribute("class"));
            assertTrue(box.getAttribute("class").contains("pf-m-error"), box.getAttribute("class"));
        }
    }

    private String words(Browser browser, int index) {
        return browser.await(By.id("proxyme-envelope-route-words-" + index)).getText();
    }

    private String pattern(Browser browser, int index) {
        return browser.await(By.id("proxyme-envelope-route-" + index))
                .findElement(By.xpath("following-sibling::label//code"))
                .getText();
    }

    private JsonNode asked(String user, Map<String, Object> envelope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scopes", List.of("read"));
        body.put("portal", portal);
        body.put("user", user);
        body.put("purpose", "Sort the reports");
        if (envelope != null) {
            body.put("envelope", envelope);
        }
        Reply asked = client.proxyme("request_delegation", agent.basicAuth(), body);
        assertEquals(200, asked.status(), asked::toString);
        return asked.json();
    }

    private void localize(String locale, String text) {
        Reply set = client.send(
                client.adminUri(REALM, "/localization/" + locale + "/" + LABEL_KEY),
                "PUT",
                "text/plain",
                text,
                bearer(client.rootToken()));
        assertEquals(204, set.status(), set::toString);
    }
}
