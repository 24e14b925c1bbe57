package dev.proxyme.pages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import dev.proxyme.testsupport.Accessibility;
import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page of Proxyme's, as a user meets it in Chromium at a desktop's and a phone's width, checked by axe-core
 * against WCAG 2.1 A and AA: no serious or critical violation. A screenshot of each is kept under
 * {@code target/screenshots/pages/} (the ones in {@code docs/screenshots/} are copies of them).
 */
@ExtendWith(KeycloakServerExtension.class)
class AccessibilityIT {

    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("proxyme.repo", ".")).resolve("target/screenshots/pages");
    private static final Dimension DESKTOP = new Dimension(1280, 900);
    private static final Dimension PHONE = new Dimension(390, 844);

    private final KeycloakServer server;
    private final ProxymeClient client;
    private final List<String> violations = new ArrayList<>();

    AccessibilityIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** The engine runs and finds what it should: an image without a text alternative is a critical violation. */
    @Test
    void theEngineFindsAnImageWithoutText() {
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/consent");
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-user-code"));
            ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                    .executeScript("document.getElementById('proxyme-page')"
                            + ".insertAdjacentHTML('beforeend', '<img src=\"data:,\" id=\"proxyme-no-alt\">');");
            List<String> found = Accessibility.seriousViolations(browser, null);
            assertTrue(found.stream().anyMatch(v -> v.contains("image-alt")), found::toString);
        }
    }

    @Test
    void everyPageOfProxymesHasNoSeriousAccessibilityViolation() {
        RegisteredAgent agent = client.registerAgent(List.of("read", "write"), List.of("portal-a"));
        for (Dimension size : List.of(DESKTOP, PHONE)) {
            String width = size == DESKTOP ? "desktop" : "phone";
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(size);
                Reply asked = ask(agent, "alice", Map.of("budget", 20, "routes", List.of("GET /reports/*")));
                browser.open(asked.text("verification_uri"));
                browser.logInIfAsked("alice", "alice-password");
                check(browser, "code-" + width, By.id("proxyme-user-code"));

                browser.open(asked.text("verification_uri_complete"));
                check(browser, "consent-" + width, By.id("proxyme-approve"));
                browser.await(By.id("proxyme-approve")).click();
                check(browser, "approved-" + width, By.id("proxyme-result"));
                // Something for the activity page to show: a request let through, one refused.
                Reply granted = client.pollUntilDecided(agent.basicAuth(), asked.text("request_id"));
                String token = granted.text("delegation_token");
                client.proxyCheck(token);
                client.proxyCheckPresenting("DPoP " + token);

                browser.open(ask(agent, "alice", null).text("verification_uri_complete"));
                browser.await(By.id("proxyme-deny")).click();
                check(browser, "denied-" + width, By.id("proxyme-result"));

                browser.open(ask(agent, "bob", null).text("verification_uri_complete"));
                check(browser, "wrong-user-" + width, By.id("proxyme-switch-account"));

                browser.open(server.realmUrl(REALM) + "/proxyme/delegations");
                check(browser, "delegations-" + width, By.id("proxyme-active"));
                browser.open(browser.await(By.id("proxyme-activity-link-" + granted.text("delegation_id")))
                        .getAttribute("href"));
                check(browser, "activity-" + width, By.id("proxyme-activity-entries"));
            }
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(size);
                browser.open(server.realmUrl(REALM) + "/proxyme/admin?agent=" + agent.clientId());
                browser.logInIfAsked("root", "root-password");
                check(browser, "admin-delegations-" + width, By.id("proxyme-admin-delegations"));
                browser.open(browser.await(By.cssSelector("#proxyme-admin-delegations a"))
                        .getAttribute("href"));
                check(browser, "admin-delegation-" + width, By.id("proxyme-admin-trail"));
            }
        }
        assertEquals(List.of(), violations, "serious or critical accessibility violations");
    }

    private void check(Browser browser, String page, By ready) {
        browser.await(ready);
        browser.screenshot(SCREENSHOTS.resolve(page + ".png"));
        Accessibility.seriousViolations(browser, null).forEach(violation -> violations.add(page + ": " + violation));
    }

    private Reply ask(RegisteredAgent agent, String user, Map<String, Object> envelope) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "scopes", List.of("read", "write"), "portal", "portal-a", "user", user, "purpose", "Sort my reports"));
        if (envelope != null) {
            body.put("envelope", envelope);
        }
        Reply asked = client.proxyme("request_delegation", agent.basicAuth(), body);
        assertEquals(200, asked.status(), asked::toString);
        return asked;
    }
}
