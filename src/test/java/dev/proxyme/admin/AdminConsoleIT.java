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

import dev.proxyme.testsupport.Accessibility;
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

    private static final java.nio.file.Path SCREENSHOTS =
            java.nio.file.Path.of(System.getProperty("proxyme.repo", ".")).resolve("target/screenshots/pages");
    private static final String LIFESPAN = "proxyme.requestLifespanSeconds";
    /**
     * What axe-core finds serious in Keycloak 26.7.5's own console components, whatever an extension's form says:
     * its sidebar, hidden at this width yet focusable (aria-hidden-focus), and the accessible names its multi-value
     * "add" buttons and its select give themselves (label-content-name-mismatch). Everything else must pass.
     */
    private static final List<String> KEYCLOAKS_OWN =
            List.of("#page-sidebar", "[data-testid$='-addValue']", "select#activityPaths", "#activityPaths");

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
            browser.screenshot(SCREENSHOTS.resolve("admin-console-realm-tab.png"));
            assertEquals(
                    List.of(),
                    Accessibility.seriousViolations(browser, null, KEYCLOAKS_OWN),
                    "admin-console-realm-tab: axe-core, WCAG 2.1 A/AA");
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
            browser.screenshot(SCREENSHOTS.resolve("admin-console-agent.png"));
            assertEquals(
                    List.of(),
                    Accessibility.seriousViolations(browser, null, KEYCLOAKS_OWN),
                    "admin-console-agent: axe-core, WCAG 2.1 A/AA");
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
                    java.util.Set.of("portal-a", "portal-b"),
                    java.util.Set.of(
                            browser.await(By.cssSelector("input[data-testid$='portals0']"))
                                    .getAttribute("value"),
                            browser.await(By.cssSelector("input[data-testid$='portals1']"))
                                    .getAttribute("value")),
                    "the form follows a change made elsewhere (Keycloak keeps no order of a field's values)");
        }
        assertEquals(
                java.util.Set.of("portal-a", "portal-b"),
                java.util.Set.copyOf(values(
                        rowOf("proxymeAgents", agent.clientId()).path("config").path("portals"))));
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
            browser.screenshot(SCREENSHOTS.resolve("admin-console-portal.png"));
            assertEquals(
                    List.of(),
                    Accessibility.seriousViolations(browser, null, KEYCLOAKS_OWN),
                    "admin-console-portal: axe-core, WCAG 2.1 A/AA");
            retype(routes, "GET /reports");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            WebElement error = browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-danger"));
            assertTrue(error.getText().contains("Not a route rule"), error.getText());

            browser.driver().navigate().refresh();
            retype(browser.await(By.cssSelector("textarea[data-testid='routeLabels']")), "GET /reports/* Your reports");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            WebElement labelError = browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-danger"));
            assertTrue(labelError.getText().contains("Not a route label"), labelError.getText());

            browser.driver().navigate().refresh();
            retype(browser.await(By.cssSelector("textarea[data-testid='routes']")), "GET /reports/* read");
            retype(
                    browser.await(By.cssSelector("textarea[data-testid='routeLabels']")),
                    "GET /reports/* | Your reports");
            browser.await(By.cssSelector("button[data-testid='save']")).click();
            browser.await(By.cssSelector(".pf-v5-c-alert.pf-m-success"));
        }
        assertEquals("GET /reports/* read", clientAttribute(portal, "proxyme.routes"), "saved into the portal");
        assertEquals("GET /reports/* | Your reports", clientAttribute(portal, "proxyme.routeLabels"), "labels too");
        Reply deleted = client.send(
                client.adminUri(REALM, "/clients/" + client.clientUuid(portal)),
                "DELETE",
                null,
                null,
                bearer(client.rootToken()));
        assertEquals(204, deleted.status(), deleted::toString);
        assertTrue(rowOfOrMissing("proxymePortals", portal).isMissingNode(), "the row went with the client");
    }

    /**
     * Keycloak's component endpoint asks only for manage-realm: an administrator who may manage the realm but not its
     * clients cannot change an agent through its row (by the endpoint itself, as a script would).
     */
    @Test
    void aRowChangesItsClientOnlyForWhoeverMayManageClients() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        JsonNode row = rowOf("proxymeAgents", agent.clientId());
        String username = "realm-only-" + System.nanoTime();
        String userId = client.createUserWithPassword(username, "realm-only-password");
        String realmManagement = client.clientUuid("realm-management");
        JsonNode manageRealm = client.get(
                        client.adminUri(REALM, "/clients/" + realmManagement + "/roles/manage-realm"),
                        bearer(client.rootToken()))
                .json();
        Reply granted = client.send(
                client.adminUri(REALM, "/users/" + userId + "/role-mappings/clients/" + realmManagement),
                "POST",
                "application/json",
                "[" + manageRealm + "]",
                bearer(client.rootToken()));
        assertEquals(204, granted.status(), granted::toString);

        com.fasterxml.jackson.databind.node.ObjectNode widened = row.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) widened.get("config"))
                .putArray("portals")
                .add("*");
        Reply refused = client.send(
                client.adminUri(REALM, "/components/" + row.path("id").asText()),
                "PUT",
                "application/json",
                widened.toString(),
                bearer(client.userToken(username, "realm-only-password")));
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("portal-a", clientAttribute(agent.clientId(), "proxyme.portals"), "the agent is unchanged");

        Reply allowed = client.send(
                client.adminUri(REALM, "/components/" + row.path("id").asText()),
                "PUT",
                "application/json",
                widened.toString(),
                bearer(client.rootToken()));
        assertEquals(204, allowed.status(), allowed::toString);
        assertEquals("*", clientAttribute(agent.clientId(), "proxyme.portals"), "a realm administrator may");
    }

    /**
     * What the forms' endpoint refuses, as a script would send it: a value with braces (a message pattern), a second
     * realm tab, a row of another parent, two values for one, digits that are not ASCII; each a 400 with its message,
     * nothing written.
     */
    @Test
    void theFormsRefuseWhatTheyCannotCheckWithTheirMessage() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        JsonNode row = rowOf("proxymeAgents", agent.clientId());
        String realmId = client.get(client.adminUri(REALM, ""), bearer(client.rootToken()))
                .json()
                .path("id")
                .asText();

        assertRefused(put(row, "scopes", "[\"{x\"]"), "Unknown scope: {x");
        assertRefused(put(row, "tokenLifetimeSeconds", "[\"300\",\"600\"]"), "one value");
        com.fasterxml.jackson.databind.node.ObjectNode elsewhere = row.deepCopy();
        elsewhere.put("parentId", "another-" + realmId);
        assertRefused(send("PUT", "/components/" + row.path("id").asText(), elsewhere.toString()), "its realm");

        String tab = "{\"providerId\":\"proxyme\",\"providerType\":\"org.keycloak.services.ui.extend.UiTabProvider\","
                + "\"parentId\":\"" + realmId + "\",\"config\":{\"requestLifespanSeconds\":[\"600\"]}}";
        assertRefused(send("POST", "/components", tab), "tab already");
        JsonNode realmTab = client.get(
                        URI.create(client.adminUri(REALM, "/components")
                                + "?type=org.keycloak.services.ui.extend.UiTabProvider"),
                        bearer(client.rootToken()))
                .json()
                .get(0);
        for (String odd : List.of("+600", "\u0666\u0660\u0660", "600x")) {
            assertRefused(put(realmTab, "requestLifespanSeconds", "[\"" + odd + "\"]"), "Request lifespan");
        }
        assertEquals("portal-a", clientAttribute(agent.clientId(), "proxyme.portals"), "nothing written");
    }

    private Reply put(JsonNode component, String field, String valuesJson) {
        com.fasterxml.jackson.databind.node.ObjectNode changed = component.deepCopy();
        try {
            ((com.fasterxml.jackson.databind.node.ObjectNode) changed.get("config"))
                    .set(field, ProxymeClient.JSON.readTree(valuesJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            throw new IllegalArgumentException(valuesJson, notJson);
        }
        return send("PUT", "/components/" + component.path("id").asText(), changed.toString());
    }

    private Reply send(String method, String path, String body) {
        return client.send(client.adminUri(REALM, path), method, "application/json", body, bearer(client.rootToken()));
    }

    private static void assertRefused(Reply reply, String says) {
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.text("errorMessage").contains(says), reply::toString);
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
