package dev.proxyme.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realm's Proxyme settings in Keycloak's own Admin Console: a "Proxyme" tab of the realm settings shows what
 * Proxyme reads from the realm's attributes, also after they changed elsewhere, refuses a wrong value with the
 * field's error, and saves into the attributes.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminConsoleIT {

    private static final String LIFESPAN = "proxyme.requestLifespanSeconds";
    private static final String ACTIVITY = "proxyme.activity";

    private final KeycloakServer server;
    private final ProxymeClient client;
    private String lifespanBefore;
    private String activityBefore;

    AdminConsoleIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeAll
    void rememberTheSettings() {
        lifespanBefore = attribute(LIFESPAN, "600");
        activityBefore = attribute(ACTIVITY, "true");
    }

    @AfterAll
    void restoreTheSettings() {
        setAttributes(
                "{\"" + LIFESPAN + "\":\"" + lifespanBefore + "\",\"" + ACTIVITY + "\":\"" + activityBefore + "\"}");
    }

    @Test
    void theRealmsProxymeSettingsAreATabOfItsRealmSettings() {
        setAttributes("{\"" + LIFESPAN + "\":\"900\",\"" + ACTIVITY + "\":\"true\"}");
        try (Browser browser = new Browser()) {
            browser.open(server.baseUri() + "/admin/" + REALM + "/console/#/" + REALM + "/realm-settings/proxyme");
            browser.logInIfAsked("root", "root-password");
            WebElement lifespan = browser.await(By.cssSelector("input[data-testid='requestLifespanSeconds']"));
            assertEquals("900", lifespan.getAttribute("value"), "the tab shows what the realm's attribute says");
            assertTrue(
                    browser.await(By.xpath("//*[normalize-space()='Request lifespan (seconds)']"))
                            .isDisplayed(),
                    "the field is labelled from Proxyme's messages");

            retype(lifespan, "99999");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            WebElement error = browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-danger"));
            assertTrue(
                    error.getText().contains("Request lifespan: a whole number of seconds from 5 to 3600"),
                    error.getText());
            assertEquals("900", attribute(LIFESPAN, null), "nothing written");

            browser.driver().navigate().refresh();
            lifespan = browser.await(By.cssSelector("input[data-testid='requestLifespanSeconds']"));
            retype(lifespan, "120");
            browser.await(By.cssSelector("label.pf-v5-c-switch[for='activity']"))
                    .click();
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-success"));
        }
        assertEquals("120", attribute(LIFESPAN, null), "saved into the realm's attribute");
        assertEquals("false", attribute(ACTIVITY, null), "the switch too");
    }

    private static void retype(WebElement field, String value) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        field.sendKeys(value);
    }

    private String attribute(String name, String otherwise) {
        Reply realm = client.get(client.adminUri(REALM, ""), bearer(client.rootToken()));
        assertEquals(200, realm.status(), realm::toString);
        return realm.json().path("attributes").path(name).asText(otherwise);
    }

    private void setAttributes(String attributes) {
        Reply reply = client.send(
                client.adminUri(REALM, ""),
                "PUT",
                "application/json",
                "{\"attributes\":" + attributes + "}",
                bearer(client.rootToken()));
        assertEquals(204, reply.status(), reply::toString);
    }
}
