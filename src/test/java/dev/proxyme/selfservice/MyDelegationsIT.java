package dev.proxyme.selfservice;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.Eventually;
import dev.proxyme.testsupport.HtmlForms;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users see and revoke what they granted, as JSON and on a page in Keycloak's UI, and never another user's. */
@ExtendWith(KeycloakServerExtension.class)
class MyDelegationsIT {

    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("proxyme.repo", ".")).resolve("target/screenshots");

    private final KeycloakServer server;
    private final ProxymeClient client;
    private RegisteredAgent agent;

    MyDelegationsIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        agent = client.registerAgent(List.of("read", "write"), List.of("portal-a", "portal-b"));
    }

    @Test
    void aUserListsAndRevokesTheirOwnAsJson() {
        Reply alicesA = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        Reply alicesB = client.delegateAsBackend("alice", agent.clientId(), List.of("write"), "portal-b");
        Reply bobs = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        String alice = bearer(client.userToken("alice", "alice-password"));

        JsonNode mine = my(alice);
        List<String> active = mine.get("active").findValuesAsText("id");
        assertTrue(active.containsAll(List.of(alicesA.text("delegation_id"), alicesB.text("delegation_id"))));
        assertFalse(active.contains(bobs.text("delegation_id")), "never another user's");
        JsonNode first = mine.get("active").get(active.indexOf(alicesA.text("delegation_id")));
        assertEquals("Test agent", first.get("agent_name").asText());
        assertEquals("Portal A", first.get("portal_name").asText());
        assertEquals(1, first.get("tokens_issued").asInt());

        assertError(
                client.proxyme("my/delegations/" + bobs.text("delegation_id") + "/revoke", alice, "{}"),
                404,
                "not_found");
        assertTrue(active(bobs.text("delegation_token")));

        Reply revoked = client.proxyme("my/delegations/" + alicesA.text("delegation_id") + "/revoke", alice, "{}");
        assertEquals(200, revoked.status(), revoked::toString);
        assertFalse(active(alicesA.text("delegation_token")));
        JsonNode after = my(alice);
        JsonNode ended = after.get("ended")
                .get(after.get("ended").findValuesAsText("id").indexOf(alicesA.text("delegation_id")));
        assertEquals("revoked_by_user", ended.get("end_reason").asText());

        Reply all = client.proxyme("my/delegations/revoke", alice, Map.of("agent_id", agent.clientId()));
        assertEquals(200, all.status(), all::toString);
        assertEquals(1, all.json().get("count").asInt());
        assertFalse(active(alicesB.text("delegation_token")));
        assertTrue(active(bobs.text("delegation_token")), "bob's is untouched");
    }

    @Test
    void onlyTheUserThemselfMayAsk() {
        URI uri = client.proxymeUri(REALM, "my/delegations");
        assertError(client.get(uri, null), 401, "invalid_token");
        String delegationToken = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_token");
        assertError(client.get(uri, bearer(delegationToken)), 401, "invalid_token");
        String serviceAccount =
                client.clientCredentials(REALM, "backend", "backend-secret").text("access_token");
        assertError(client.get(uri, bearer(serviceAccount)), 403, "access_denied");
    }

    @Test
    void thePageListsRevokesAndRefusesForgedForms() {
        Reply one = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        Reply two = client.delegateAsBackend("alice", agent.clientId(), List.of("write"), "portal-b");
        String oneId = one.text("delegation_id");
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/delegations");
            browser.logInIfAsked("alice", "alice-password");
            assertTrue(browser.text("proxyme-delegation-" + oneId).contains("Test agent"));
            assertTrue(browser.has(By.id("proxyme-delegation-" + two.text("delegation_id"))));
            browser.screenshot(SCREENSHOTS.resolve("my-delegations.png"));

            String cookies = browser.cookieHeader();
            Map<String, String> form = hiddenFields(browser.driver().getPageSource(), oneId);
            form.put("state_checker", "forged");
            Reply forged = post(form, cookies);
            assertEquals(403, forged.status(), forged::toString);
            assertTrue(active(one.text("delegation_token")), "a forged form changes nothing");

            assertTrue(
                    browser.driver().getTitle().startsWith("Agent access"),
                    () -> "not \"Sign in to …\": " + browser.driver().getTitle());
            String label = browser.await(By.id("proxyme-revoke-" + oneId)).getAttribute("aria-label");
            assertTrue(
                    label.startsWith("Revoke ") && label.contains("Portal A"),
                    () -> "each Revoke button says what it revokes: " + label);
            browser.await(By.id("proxyme-revoke-" + oneId)).click();
            assertTrue(browser.text("proxyme-message").contains("Revoked"));
            assertFalse(active(one.text("delegation_token")));
            assertTrue(browser.text("proxyme-ended-" + oneId).contains("You revoked it"));

            Reply replayed = post(hiddenFields(browser.driver().getPageSource(), null), "");
            assertTrue(
                    replayed.status() == 303 || replayed.status() == 302,
                    "without the session cookie: back to login, " + replayed.status());

            assertFalse(
                    browser.await(By.id("proxyme-revoke-all")).isDisplayed(),
                    "revoking everything is behind a confirmation");
            browser.await(By.id("proxyme-revoke-all-open")).click();
            assertTrue(browser.text("proxyme-revoke-all-warning").contains("ends all"), "it says what it ends");
            browser.await(By.id("proxyme-revoke-all")).click();
            browser.await(By.id("proxyme-empty"));
            assertFalse(active(two.text("delegation_token")));
        }
    }

    /** "What it did": the user opens a delegation's activity from their page and sees its requests per route. */
    /** A revoke form for access that ended after the page was shown says so, and claims no revocation. */
    @Test
    void revokingWhatEndedMeanwhileSaysItHadEnded() {
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String delegationId = granted.text("delegation_id");
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/delegations");
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-revoke-" + delegationId));
            assertEquals(
                    200,
                    client.send(
                                    client.adminUri(REALM, "/proxyme/delegations/" + delegationId + "/revoke"),
                                    "POST",
                                    null,
                                    null,
                                    bearer(client.rootToken()))
                            .status());
            browser.await(By.id("proxyme-revoke-" + delegationId)).click();
            assertTrue(
                    browser.text("proxyme-message").contains("had ended already"),
                    () -> browser.text("proxyme-message"));
        }
        JsonNode trail = client.trail(delegationId);
        assertEquals(
                1,
                trail.get("audit").findValuesAsText("action").stream()
                        .filter("DELEGATION_REVOKED"::equals)
                        .count(),
                "revoked once, by the administrator");
    }

    @Test
    void thePageShowsWhatTheAgentDidThroughTheProxy() {
        long windowEnd = System.currentTimeMillis() / 1000 + 1800;
        Reply granted = client.proxyme(
                "delegate",
                ProxymeClient.BACKEND,
                Map.of(
                        "username",
                        "bob",
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-a",
                        "envelope",
                        Map.of("budget", 10, "not_after", windowEnd)));
        assertEquals(200, granted.status(), granted::toString);
        String token = granted.text("delegation_token");
        String delegationId = granted.text("delegation_id");
        for (int call = 0; call < 3; call++) {
            assertEquals(200, client.proxyCheck(token).status());
        }
        // A refusal, recorded with its reason: the token is not DPoP-bound.
        assertEquals(401, client.proxyCheckPresenting("DPoP " + token).status());
        try (Browser browser = new Browser()) {
            browser.inTimeZone("Europe/Berlin");
            browser.open(server.realmUrl(REALM) + "/proxyme/delegations");
            browser.logInIfAsked("bob", "bob-password");
            // The envelope counting down, and when its window ends.
            String count = browser.text("proxyme-envelope-" + delegationId);
            // bob reads German: "3 von 10 Mal genutzt".
            assertTrue(count.matches("3 von 10 .+"), count);
            WebElement windowEnds = browser.await(
                    By.cssSelector("#proxyme-delegation-" + delegationId + " .proxyme-envelope-window time"));
            assertEquals(java.time.Instant.ofEpochSecond(windowEnd).toString(), windowEnds.getAttribute("datetime"));
            String inBerlin = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                    .withZone(java.time.ZoneId.of("Europe/Berlin"))
                    .format(java.time.Instant.ofEpochSecond(windowEnd));
            assertTrue(windowEnds.getText().contains(inBerlin), () -> inBerlin + " in " + windowEnds.getText());
            browser.await(By.id("proxyme-activity-link-" + delegationId)).click();
            String counts = browser.text("proxyme-activity-counts");
            assertTrue(counts.contains("GET /") && counts.contains("3"), counts);
            assertEquals(
                    List.of("Was", "Ergebnis", "Anzahl"),
                    browser.driver().findElements(By.cssSelector("#proxyme-activity-counts th")).stream()
                            .map(WebElement::getText)
                            .toList(),
                    "the table says what its columns are");
            String latest = browser.text("proxyme-activity-entries");
            assertTrue(latest.contains("GET /") && latest.contains("×3"), latest);
            assertTrue(
                    latest.contains("Sein Zugangsschein war nicht gültig") && latest.contains("not DPoP-bound"),
                    () -> "the refusal in plain words, the portal's reason as detail: " + latest);
            browser.await(By.id("proxyme-back"));
        }
    }

    @Test
    void loggingOutEndsWhatWasApprovedInThatSession() {
        JsonNode request = client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of("scopes", List.of("read"), "portal", "portal-a", "purpose", "Until I sign out"))
                .json();
        String token;
        try (Browser browser = new Browser()) {
            browser.open(request.get("verification_uri_complete").asText());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            browser.await(By.id("proxyme-result"));
            Reply granted = awaitToken(request);
            token = granted.text("delegation_token");
            assertTrue(active(token));

            browser.open(server.realmUrl(REALM) + "/protocol/openid-connect/logout");
            browser.await(By.id("kc-logout")).click();
            browser.await(By.tagName("body"));
            String signedOut = token;
            Eventually.await(() -> !active(signedOut), java.time.Duration.ofSeconds(10), "the delegation to end");
            assertFalse(active(token), "signing out of Keycloak ends the delegation approved in that session");
            assertEquals(
                    "user_logged_out",
                    client.get(
                                    client.adminUri(REALM, "/proxyme/delegations/" + granted.text("delegation_id")),
                                    bearer(client.rootToken()))
                            .json()
                            .get("delegation")
                            .get("end_reason")
                            .asText());
        }
    }

    private Reply awaitToken(JsonNode request) {
        return client.pollUntilDecided(
                agent.basicAuth(), request.get("request_id").asText());
    }

    private JsonNode my(String authorization) {
        Reply reply = client.get(client.proxymeUri(REALM, "my/delegations"), authorization);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private boolean active(String token) {
        String portal = portalOf(token);
        return client.introspect(token, portal, portal + "-secret")
                .get("active")
                .asBoolean();
    }

    private static String portalOf(String token) {
        try {
            JsonNode claims =
                    ProxymeClient.JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            return claims.get("portal").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply post(Map<String, String> form, String cookies) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", server.baseUri().toString());
        if (!cookies.isEmpty()) {
            headers.put("Cookie", cookies);
        }
        return client.request(
                URI.create(server.realmUrl(REALM) + "/proxyme/delegations/revoke"),
                "POST",
                "application/x-www-form-urlencoded",
                body.toString(),
                headers);
    }

    /** The hidden fields of the form that revokes one delegation (or the first form on the page). */
    private static Map<String, String> hiddenFields(String html, String delegationId) {
        Map<String, String> fields = HtmlForms.hiddenFieldsOfFirstForm(html);
        if (delegationId != null) {
            fields.put("delegation_id", delegationId);
        }
        return fields;
    }
}
