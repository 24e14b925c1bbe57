package dev.proxyme.selfservice;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user reaches "Agent access" from Keycloak's own Account Console: the account theme {@code proxyme} adds it to
 * the console's navigation (its content.json), and the page shows Proxyme's page of the user's delegations, where the
 * user revokes one.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountConsoleIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    AccountConsoleIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /**
     * In the tests' own realm, whose Account Console works as imported (a copy made over the admin API is refused by
     * the console's account API), given back its theme afterwards.
     */
    @BeforeAll
    void chooseTheAccountTheme() {
        setAccountTheme("proxyme");
    }

    @AfterAll
    void restoreTheAccountTheme() {
        setAccountTheme("");
    }

    private void setAccountTheme(String theme) {
        Reply themed = client.send(
                client.adminUri(REALM, ""),
                "PUT",
                "application/json",
                "{\"accountTheme\":\"" + theme + "\"}",
                bearer(client.rootToken()));
        assertEquals(204, themed.status(), themed::toString);
    }

    private static final java.nio.file.Path SCREENSHOTS =
            java.nio.file.Path.of(System.getProperty("proxyme.repo", ".")).resolve("target/screenshots/pages");

    @Test
    void theUserFindsAgentAccessInTheAccountConsoleAndRevokesThere() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply delegated = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, delegated.status(), delegated::toString);
        String delegationId = delegated.text("delegation_id");

        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/account/");
            browser.logInIfAsked("alice", "alice-password");
            WebElement link = browser.await(By.xpath("//a[normalize-space()='Agent access']"));
            // The navigation folds away on a narrow window: follow the item's own link, as its click does.
            browser.open(link.getAttribute("href"));
            WebElement frame = browser.await(By.id("proxyme-agent-access-frame"));
            assertEquals("Agent access", frame.getAttribute("title"), "the frame is named for screen readers");
            assertTrue(
                    URI.create(frame.getAttribute("src"))
                            .getPath()
                            .endsWith("/realms/" + REALM + "/proxyme/delegations"),
                    frame.getAttribute("src"));
            browser.driver().switchTo().frame(frame);
            browser.await(By.id("proxyme-revoke-" + delegationId));
            browser.driver().switchTo().defaultContent();
            for (Dimension size : List.of(new Dimension(1280, 900), new Dimension(390, 844))) {
                browser.driver().manage().window().setSize(size);
                browser.screenshot(SCREENSHOTS.resolve(
                        "account-console-agent-access-" + (size.getWidth() > 400 ? "desktop" : "phone") + ".png"));
            }
            browser.driver().manage().window().setSize(new Dimension(1280, 900));
            browser.driver().switchTo().frame(browser.await(By.id("proxyme-agent-access-frame")));
            browser.await(By.id("proxyme-revoke-" + delegationId)).click();
            browser.await(By.id("proxyme-message"));
            browser.driver().switchTo().defaultContent();
            assertTrue(browser.has(By.xpath("//a[normalize-space()='Agent access']")), "still in the console");
        }
        assertFalse(client.isActive(delegated.text("delegation_token"), "portal-a"), "revoked from the console");
    }
}
