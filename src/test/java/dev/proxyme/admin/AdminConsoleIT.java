package dev.proxyme.admin;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * "Proxyme agents": each agent an administrator registered is a row; its form shows the agent's portals, refuses
     * one that is not a portal, saves into the agent, and follows the agent when it changes elsewhere.
     */
    @Test
    void anAgentsProxymeSettingsAreAPageOfTheAdminConsole() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String row = rowOf("proxymeAgents", agent.clientId()).path("id").asText();
        try (Browser browser = new Browser()) {
            browser.open(console() + "/page-section/proxymeAgents");
            browser.logInIfAsked("root", "root-password");
            assertTrue(
                    browser.await(By.xpath("//h1[normalize-space()='Proxyme agents']"))
                            .isDisplayed(),
                    "the page is named from Proxyme's messages");

            browser.open(console() + "/page-section/proxymeAgents/" + row);
            WebElement portals = browser.await(By.cssSelector("input[data-testid$='portals0']"));
            assertEquals("portal-a", portals.getAttribute("value"), "the form shows the agent's portals");
            retype(portals, "no-such-portal");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            WebElement error = browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-danger"));
            assertTrue(error.getText().contains("Unknown portal: no-such-portal"), error.getText());
            assertEquals("portal-a", clientAttribute(agent.clientId(), "proxyme.portals"), "nothing written");

            browser.driver().navigate().refresh();
            retype(browser.await(By.cssSelector("input[data-testid$='portals0']")), "portal-b");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-success"));
            assertEquals("portal-b", clientAttribute(agent.clientId(), "proxyme.portals"), "saved into the agent");

            client.setClientAttribute(agent.clientId(), "proxyme.portals", "portal-a portal-b");
            browser.driver().navigate().refresh();
            assertEquals(
                    "portal-a",
                    browser.await(By.cssSelector("input[data-testid$='portals0']"))
                            .getAttribute("value"));
            assertEquals(
                    "portal-b",
                    browser.await(By.cssSelector("input[data-testid$='portals1']"))
                            .getAttribute("value"),
                    "the form follows a change made elsewhere");
        }
        assertEquals(
                List.of("portal-a", "portal-b"),
                values(rowOf("proxymeAgents", agent.clientId()).path("config").path("portals")));
    }

    /**
     * "Proxyme portals": a client made a portal (its attribute) gets a row; its form refuses a malformed route rule
     * and saves the rules into the portal; the row goes with the client.
     */
    @Test
    void aPortalsProxymeSettingsAreAPageOfTheAdminConsole() {
        String portal = "console-portal-" + System.nanoTime();
        Reply created = client.send(
                client.adminUri(REALM, "/clients"),
                "POST",
                "application/json",
                "{\"clientId\":\"" + portal + "\",\"publicClient\":false,\"secret\":\"console-portal-secret\","
                        + "\"attributes\":{\"proxyme.portal\":\"true\",\"proxyme.resource\":\"https://portal.example/api\"}}",
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        String row = rowOf("proxymePortals", portal).path("id").asText();
        try (Browser browser = new Browser()) {
            browser.open(console() + "/page-section/proxymePortals/" + row);
            browser.logInIfAsked("root", "root-password");
            assertEquals(
                    "https://portal.example/api",
                    browser.await(By.cssSelector("input[data-testid$='resourceUris0']"))
                            .getAttribute("value"));
            WebElement routes = browser.await(By.cssSelector("textarea[data-testid='routes']"));
            retype(routes, "GET /reports");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            WebElement error = browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-danger"));
            assertTrue(error.getText().contains("Not a route rule"), error.getText());

            browser.driver().navigate().refresh();
            retype(browser.await(By.cssSelector("textarea[data-testid='routes']")), "GET /reports/* read");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-success"));
        }
        assertEquals("GET /reports/* read", clientAttribute(portal, "proxyme.routes"), "saved into the portal");
        Reply deleted = client.send(
                client.adminUri(REALM, "/clients/" + client.clientUuid(portal)),
                "DELETE",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, deleted.status(), deleted::toString);
        assertTrue(rowOfOrMissing("proxymePortals", portal).isMissingNode(), "the row went with the client");
    }

    private String console() {
        return server.baseUri() + "/admin/" + REALM + "/console/#/" + REALM;
    }

    private JsonNode rowOf(String page, String clientId) {
        JsonNode row = rowOfOrMissing(page, clientId);
        assertFalse(row.isMissingNode(), () -> "no " + page + " row of " + clientId);
        return row;
    }

    private JsonNode rowOfOrMissing(String page, String clientId) {
        Reply rows = client.get(
                URI.create(
                        client.adminUri(REALM, "/components") + "?type=org.keycloak.services.ui.extend.UiPageProvider"),
                bearer(client.rootToken()));
        assertEquals(200, rows.status(), rows::toString);
        for (JsonNode row : rows.json()) {
            if (page.equals(row.path("providerId").asText())
                    && clientId.equals(row.path("config").path("client").path(0).asText())) {
                return row;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> values(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private String clientAttribute(String clientId, String name) {
        return client.findClient(clientId)
                .orElseThrow()
                .path("attributes")
                .path(name)
                .asText();
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
