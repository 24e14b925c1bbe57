package dev.proxyme.hostile;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.HtmlForms;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertAnsweredByKeycloak;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated bad-input corpus over the forms of Proxyme's pages (consent code, consent decision, my delegations),
 * posted with a real browser session's cookies from the page's own origin, so that each body reaches the form's
 * checks. Browser forms get pages, not JSON: every answer is a 4xx Proxyme page of the realm's theme (or the page
 * itself for a harmless no-op), never a 5xx, never a trace; and nothing is granted or revoked by any of them.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageFormsBadInputIT {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String VALID = "{valid}";

    private final KeycloakServer server;
    private final ProxymeClient client;
    private String cookies;
    private RegisteredAgent agent;
    private String survivorToken;
    private JsonNode pendingRequest;

    PageFormsBadInputIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** A form: its fields in order ({@link #VALID} is replaced by a fresh state checker or nonce), or a raw body. */
    record Case(String name, String endpoint, String contentType, List<String[]> fields, String rawBody, int status) {
        @Override
        public String toString() {
            return endpoint + ": " + name;
        }
    }

    @BeforeAll
    void logInAndPrepare() {
        agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply granted = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, granted.status(), granted::toString);
        survivorToken = granted.text("delegation_token");
        pendingRequest = client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of(
                                "scopes",
                                List.of("read"),
                                "portal",
                                "portal-a",
                                "purpose",
                                "Hostile forms",
                                "user",
                                "bob"))
                .json();
        assertNotNull(pendingRequest.get("user_code"), pendingRequest::toString);
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/delegations");
            browser.logInIfAsked("bob", "bob-password");
            browser.await(By.id("proxyme-page"));
            cookies = browser.cookieHeader();
        }
    }

    @AfterAll
    void nothingWasGrantedOrRevoked() {
        assertTrue(client.isActive(survivorToken), "no form revoked the live delegation");
        Reply poll = client.proxyme(
                "delegate",
                agent.basicAuth(),
                Map.of("request_id", pendingRequest.get("request_id").asText()));
        assertEquals("authorization_pending", poll.text("error"), "no form decided the pending request: " + poll);
    }

    static Stream<Case> badForms() {
        List<Case> cases = new ArrayList<>();
        for (String endpoint : List.of("consent/code", "consent/decision", "delegations/revoke")) {
            // Bodies that never carry this page's state checker: refused as forgeries, audited, nothing done.
            cases.add(new Case("empty body", endpoint, FORM, List.of(), null, 403));
            cases.add(new Case(
                    "JSON body",
                    endpoint,
                    "application/json",
                    null,
                    "{\"state_checker\":\"x\",\"decision\":\"approve\"}",
                    403));
            cases.add(
                    new Case("text/plain body", endpoint, "text/plain", null, "state_checker=x&decision=approve", 403));
            cases.add(new Case("no content type", endpoint, null, null, "state_checker=x", 403));
            // Keycloak decodes form bodies before any endpoint runs; this one it answers as on its own token endpoint.
            cases.add(new Case(
                    "malformed percent-encoding",
                    endpoint,
                    FORM,
                    null,
                    "state_checker=%zz&nonce=%&decision=%E0%A4",
                    HostileRequestsIT.AS_KEYCLOAK_TOKEN_ENDPOINT));
            cases.add(new Case("only separators", endpoint, FORM, null, "&&&===&", 403));
            // Keycloak's own request limit answers this one, with its error page.
            cases.add(new Case(
                    "1 MiB+ body", endpoint, FORM, null, "state_checker=" + "x".repeat(1024 * 1024 + 10), 413));
            cases.add(new Case(
                    "wrong state checker first, right one second",
                    endpoint,
                    FORM,
                    List.of(f("state_checker", "forged"), f("state_checker", VALID), f("nonce", VALID)),
                    null,
                    403));
            for (Map.Entry<String, String> odd : HostileRequestsIT.ODD_VALUES.entrySet()) {
                cases.add(new Case(
                        "state checker " + odd.getKey(),
                        endpoint,
                        FORM,
                        List.of(f("state_checker", odd.getValue()), f("nonce", VALID)),
                        null,
                        403));
            }
        }
        // Genuine forms (right state checker and nonce) whose meaningful field is odd: a clear page, nothing done.
        for (Map.Entry<String, String> odd : HostileRequestsIT.ODD_VALUES.entrySet()) {
            cases.add(new Case(
                    "user code " + odd.getKey(),
                    "consent/code",
                    FORM,
                    List.of(f("state_checker", VALID), f("user_code", odd.getValue())),
                    null,
                    400));
            cases.add(new Case(
                    "user code " + odd.getKey(),
                    "consent/decision",
                    FORM,
                    List.of(
                            f("state_checker", VALID),
                            f("nonce", VALID),
                            f("user_code", odd.getValue()),
                            f("decision", "approve")),
                    null,
                    400));
            cases.add(new Case(
                    "decision " + odd.getKey(),
                    "consent/decision",
                    FORM,
                    List.of(
                            f("state_checker", VALID),
                            f("nonce", VALID),
                            f("user_code", "PENDING"),
                            f("decision", odd.getValue())),
                    null,
                    400));
            cases.add(new Case(
                    "delegation id " + odd.getKey(),
                    "delegations/revoke",
                    FORM,
                    List.of(f("state_checker", VALID), f("nonce", VALID), f("delegation_id", odd.getValue())),
                    null,
                    404));
            cases.add(new Case(
                    "agent id " + odd.getKey(),
                    "delegations/revoke",
                    FORM,
                    List.of(f("state_checker", VALID), f("nonce", VALID), f("agent_id", odd.getValue())),
                    null,
                    200));
        }
        cases.add(new Case(
                "nonce replayed from another form",
                "delegations/revoke",
                FORM,
                List.of(f("state_checker", VALID), f("nonce", "REPLAYED"), f("delegation_id", "x")),
                null,
                403));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badForms")
    void isAnsweredWithAPageAndChangesNothing(Case badForm) {
        Map<String, String> page = hiddenFieldsOfFreshPage();
        String body = badForm.rawBody() != null
                ? badForm.rawBody()
                : badForm.fields().stream()
                        .map(field -> encode(field[0]) + "=" + encode(resolve(badForm.endpoint(), field, page)))
                        .collect(Collectors.joining("&"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cookie", cookies);
        headers.put("Accept", "text/html");
        headers.put("Origin", server.baseUri().toString().replaceAll("/$", ""));
        headers.put("Sec-Fetch-Site", "same-origin");
        Reply reply = client.request(
                URI.create(server.realmUrl(REALM) + "/proxyme/" + badForm.endpoint()),
                "POST",
                badForm.contentType(),
                body,
                headers);

        boolean answeredByKeycloak =
                badForm.status() == 413 || badForm.status() == HostileRequestsIT.AS_KEYCLOAK_TOKEN_ENDPOINT;
        int expected = badForm.status() == HostileRequestsIT.AS_KEYCLOAK_TOKEN_ENDPOINT
                ? client.keycloakTokenEndpointAnswer(body).status()
                : badForm.status();
        assertEquals(expected, reply.status(), () -> badForm + ": " + abbreviate(reply.body()));
        if (answeredByKeycloak) {
            assertAnsweredByKeycloak(reply);
        } else {
            assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), reply::toString);
            assertTrue(
                    reply.body().contains("id=\"proxyme-"),
                    "a Proxyme page of the realm's theme: " + abbreviate(reply.body()));
        }
        assertFalse(
                reply.body().contains("Exception")
                        || reply.body().contains("\tat ")
                        || reply.body().contains("dev.proxyme."),
                "no trace: " + abbreviate(reply.body()));
        assertFalse(reply.body().contains("proxyme-result-approved"), "nothing approved");
    }

    private String resolve(String endpoint, String[] field, Map<String, String> page) {
        return switch (field[1]) {
            case VALID ->
                page.get(endpoint.equals("consent/decision") && field[0].equals("nonce") ? "consent_nonce" : field[0]);
            case "PENDING" -> pendingRequest.get("user_code").asText();
            case "REPLAYED" -> usedNonce();
            default -> field[1];
        };
    }

    /** A nonce the user's own browser already spent on a harmless revoke form. */
    private String usedNonce() {
        Map<String, String> page = hiddenFieldsOfFreshPage();
        String body = "state_checker=" + encode(page.get("state_checker")) + "&nonce=" + encode(page.get("nonce"))
                + "&agent_id=none";
        Reply spent = client.request(
                URI.create(server.realmUrl(REALM) + "/proxyme/delegations/revoke"),
                "POST",
                FORM,
                body,
                Map.of("Cookie", cookies, "Accept", "text/html", "Sec-Fetch-Site", "same-origin"));
        assertEquals(200, spent.status(), spent::toString);
        return page.get("nonce");
    }

    /**
     * The state checker and a fresh nonce, as the page renders them. The consent page's nonce is bound to its request,
     * the my-delegations one to the user: each endpoint gets the kind it checks.
     */
    private Map<String, String> hiddenFieldsOfFreshPage() {
        Map<String, String> fields =
                HtmlForms.hiddenFieldsOfFirstForm(getPage(server.realmUrl(REALM) + "/proxyme/delegations"));
        String consentNonce = HtmlForms.hiddenFieldsOfFirstForm(
                        getPage(pendingRequest.get("verification_uri_complete").asText()))
                .get("nonce");
        fields.put("consent_nonce", consentNonce);
        return fields;
    }

    private String getPage(String url) {
        Reply page =
                client.request(URI.create(url), "GET", null, null, Map.of("Cookie", cookies, "Accept", "text/html"));
        assertEquals(200, page.status(), page::toString);
        return page.body();
    }

    private static String[] f(String name, String value) {
        return new String[] {name, value};
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }
}
