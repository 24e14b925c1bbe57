package dev.proxyme.hostile;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertAnsweredByKeycloak;
import static dev.proxyme.testsupport.OAuthAssertions.assertOAuthError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated bad-input corpus over what {@code BadInputIT} does not reach: the admin API's query and path
 * parameters and the identity-aware proxy's endpoints, whose input is headers, cookies and forms. Each case names the
 * status it expects; every refusal is an OAuth error object with no trace of the server's insides, and a live
 * delegation survives the whole corpus (no bad input revoked or changed anything it should not).
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT {

    /** Values that are not what a field expects: unicode edge cases, control characters, sizes. */
    static final Map<String, String> ODD_VALUES = oddValues();

    private final KeycloakServer server;
    private final ProxymeClient client;
    private String survivorToken;
    private String survivorId;

    HostileRequestsIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** The status Keycloak's own token endpoint gives the same body (see {@link ProxymeClient#keycloakTokenEndpointAnswer}). */
    static final int AS_KEYCLOAK_TOKEN_ENDPOINT = -1;

    /** {@code byKeycloak}: Keycloak itself answers the request before it reaches Proxyme. */
    record Case(
            String name,
            String method,
            String path,
            Map<String, String> headers,
            String contentType,
            String body,
            int status,
            boolean byKeycloak) {
        Case(
                String name,
                String method,
                String path,
                Map<String, String> headers,
                String contentType,
                String body,
                int status) {
            this(name, method, path, headers, contentType, body, status, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void aDelegationThatMustSurvive() {
        client.setPortalRoutes("portal-a", "GET,HEAD /reports/* read");
        Reply granted = client.delegateAsBackend("bob", "fixed-agent", List.of("read"), "portal-a");
        assertEquals(200, granted.status(), granted::toString);
        survivorToken = granted.text("delegation_token");
        survivorId = granted.text("delegation_id");
    }

    @AfterAll
    void theDelegationSurvived() {
        client.setPortalRoutes("portal-a", null);
        assertTrue(client.isActive(survivorToken), "no bad input revoked an unrelated delegation");
    }

    static Stream<Case> adminRequests() {
        List<Case> cases = new ArrayList<>();
        String list = "/proxyme/delegations";
        Map<String, Integer> queries = new LinkedHashMap<>();
        queries.put("first=-1", 400);
        queries.put("first=abc", 400);
        queries.put("first=1e3", 400);
        queries.put("first=99999999999999999999", 400);
        queries.put("max=0x10", 400);
        queries.put("max=", 200);
        queries.put("status=bogus", 400);
        queries.put("from=yesterday", 400);
        queries.put("to=-", 400);
        queries.put("from=1.5", 400);
        queries.put("max=99999999", 200);
        queries.put("status=active&status=revoked", 200);
        queries.forEach((query, status) -> cases.add(
                new Case("GET " + list + "?" + query, "GET", list + "?" + query, Map.of(), null, null, status)));
        ODD_VALUES.forEach((what, value) -> {
            // Keycloak's own filter refuses NUL and other control characters in query values before Proxyme runs.
            boolean blocked = what.equals("NUL") || what.equals("control characters");
            for (String filter : List.of("user", "agent", "portal", "status")) {
                cases.add(new Case(
                        "GET " + list + "?" + filter + "=" + what,
                        "GET",
                        list + "?" + filter + "=" + encode(value),
                        Map.of(),
                        null,
                        null,
                        blocked || filter.equals("status") && !value.isEmpty() ? 400 : 200,
                        blocked));
            }
        });
        ODD_VALUES.entrySet().stream().filter(odd -> !odd.getValue().isEmpty()).forEach(odd -> {
            String what = odd.getKey();
            String value = odd.getValue();
            String segment = encode(value).replace("+", "%20");
            cases.add(new Case(
                    "GET delegation " + what, "GET", "/proxyme/delegations/" + segment, Map.of(), null, null, 404));
            cases.add(new Case(
                    "revoke delegation " + what,
                    "POST",
                    "/proxyme/delegations/" + segment + "/revoke",
                    Map.of(),
                    null,
                    null,
                    404));
            cases.add(new Case(
                    "revoke user " + what, "POST", "/proxyme/users/" + segment + "/revoke", Map.of(), null, null, 404));
            cases.add(new Case(
                    "revoke agent " + what,
                    "POST",
                    "/proxyme/agents/" + segment + "/revoke",
                    Map.of(),
                    null,
                    null,
                    404));
            cases.add(new Case(
                    "activity of delegation " + what,
                    "GET",
                    "/proxyme/delegations/" + segment + "/activity",
                    Map.of(),
                    null,
                    null,
                    404));
        });
        activityQueries()
                .forEach((query, status) -> cases.add(new Case(
                        "GET activity?" + query,
                        "GET",
                        "/proxyme/delegations/SURVIVOR/activity?" + query,
                        Map.of(),
                        null,
                        null,
                        status)));
        return cases.stream();
    }

    /** Bad paging and time filters of the activity APIs, the user's and the administrators'. */
    private static Map<String, Integer> activityQueries() {
        Map<String, Integer> queries = new LinkedHashMap<>();
        queries.put("from=abc", 400);
        queries.put("to=1e99", 400);
        queries.put("from=-1", 400);
        queries.put("to=99999999999999999999", 400);
        queries.put("first=-5", 400);
        queries.put("max=-1", 400);
        queries.put("max=0x10", 400);
        return queries;
    }

    static Stream<Case> activityAndMetadataRequests() {
        List<Case> cases = new ArrayList<>();
        activityQueries()
                .forEach((query, status) -> cases.add(new Case(
                        "my activity?" + query,
                        "GET",
                        "my/delegations/SURVIVOR/activity?" + query,
                        Map.of("Authorization", "BOB"),
                        null,
                        null,
                        status)));
        cases.add(new Case(
                "my activity, no token", "GET", "my/delegations/SURVIVOR/activity", Map.of(), null, null, 401));
        cases.add(new Case(
                "my activity, a delegation token",
                "GET",
                "my/delegations/SURVIVOR/activity",
                Map.of("Authorization", "SURVIVOR-TOKEN"),
                null,
                null,
                401));
        cases.add(new Case(
                "my activity, another user's delegation",
                "GET",
                "my/delegations/SURVIVOR/activity",
                Map.of("Authorization", "ALICE"),
                null,
                null,
                404));
        Map<String, String> portalA = Map.of(
                "X-Proxyme-Portal",
                "portal-a",
                "X-Proxyme-Portal-Secret",
                "portal-a-secret",
                "X-Forwarded-Host",
                "portal-a.example",
                "X-Forwarded-Proto",
                "https");
        ODD_VALUES.entrySet().stream().filter(odd -> !odd.getValue().isEmpty()).forEach(odd -> {
            String segment = encode(odd.getValue()).replace("+", "%20");
            cases.add(new Case(
                    "my activity of " + odd.getKey(),
                    "GET",
                    "my/delegations/" + segment + "/activity",
                    Map.of("Authorization", "BOB"),
                    null,
                    null,
                    404));
            if (isHeaderSafe(odd.getValue())) {
                cases.add(new Case(
                        "metadata, portal header " + odd.getKey(),
                        "GET",
                        "proxy/metadata",
                        Map.of("X-Proxyme-Portal", odd.getValue(), "X-Proxyme-Portal-Secret", "portal-a-secret"),
                        null,
                        null,
                        400));
                Map<String, String> oddUri = new LinkedHashMap<>(portalA);
                oddUri.put("X-Forwarded-Uri", odd.getValue());
                cases.add(new Case("metadata, uri " + odd.getKey(), "GET", "proxy/metadata", oddUri, null, null, 404));
                Map<String, String> oddHost = new LinkedHashMap<>(portalA);
                oddHost.put("X-Forwarded-Host", odd.getValue());
                oddHost.put("X-Forwarded-Uri", "/.well-known/oauth-protected-resource");
                cases.add(
                        new Case("metadata, host " + odd.getKey(), "GET", "proxy/metadata", oddHost, null, null, 404));
            }
        });
        cases.add(new Case(
                "metadata, no secret",
                "GET",
                "proxy/metadata",
                Map.of("X-Proxyme-Portal", "portal-a"),
                null,
                null,
                401));
        cases.add(new Case(
                "metadata, wrong secret",
                "GET",
                "proxy/metadata",
                Map.of("X-Proxyme-Portal", "portal-a", "X-Proxyme-Portal-Secret", "nope"),
                null,
                null,
                401));
        return cases.stream();
    }

    /**
     * {@code SURVIVOR} in a path stands for the delegation that must survive the corpus (bob's), {@code BOB} and
     * {@code ALICE} for those users' own bearer tokens, {@code SURVIVOR-TOKEN} for the delegation's token.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("activityAndMetadataRequests")
    void theActivityApiAndTheMetadataAnswerBadInputClearly(Case badRequest) {
        Map<String, String> headers = new LinkedHashMap<>(badRequest.headers());
        switch (headers.getOrDefault("Authorization", "")) {
            case "BOB" -> headers.put("Authorization", bearer(client.userToken("bob", "bob-password")));
            case "ALICE" -> headers.put("Authorization", bearer(client.userToken("alice", "alice-password")));
            case "SURVIVOR-TOKEN" -> headers.put("Authorization", bearer(survivorToken));
            default -> {}
        }
        Reply reply = client.request(
                client.proxymeUri(REALM, badRequest.path().replace("SURVIVOR", survivorId)),
                badRequest.method(),
                null,
                null,
                headers);
        assertEquals(badRequest.status(), reply.status(), reply::toString);
        assertOAuthError(reply);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminRequests")
    void theAdminApiAnswersBadParametersClearly(Case badRequest) {
        Map<String, String> headers = new LinkedHashMap<>(badRequest.headers());
        headers.put("Authorization", bearer(client.rootToken()));
        headers.put("Accept", "application/json");
        Reply reply = client.request(
                URI.create(client.adminUri(REALM, "") + badRequest.path().replace("SURVIVOR", survivorId)),
                badRequest.method(),
                badRequest.contentType(),
                badRequest.body(),
                headers);
        assertEquals(badRequest.status(), reply.status(), reply::toString);
        if (badRequest.byKeycloak()) {
            assertAnsweredByKeycloak(reply);
        } else if (reply.status() >= 400) {
            assertOAuthError(reply);
        } else {
            assertTrue(reply.json().isArray(), reply::toString);
        }
    }

    static Stream<Case> proxyRequests() {
        List<Case> cases = new ArrayList<>();
        Map<String, String> portalA = Map.of("X-Proxyme-Portal", "portal-a");
        ODD_VALUES.forEach((what, value) -> {
            if (isHeaderSafe(value)) {
                cases.add(new Case(
                        "check, portal header " + what,
                        "GET",
                        "proxy/check",
                        Map.of("X-Proxyme-Portal", value, "Authorization", "Bearer x"),
                        null,
                        null,
                        400));
                cases.add(new Case(
                        "check, bearer " + what,
                        "GET",
                        "proxy/check",
                        Map.of("X-Proxyme-Portal", "portal-a", "Authorization", "Bearer " + value),
                        null,
                        null,
                        401));
                cases.add(new Case(
                        "check, cookie " + what,
                        "GET",
                        "proxy/check",
                        Map.of(
                                "X-Proxyme-Portal",
                                "portal-a",
                                "Cookie",
                                "__Host-proxyme_session=" + value.replace(";", "")),
                        null,
                        null,
                        401));
                cases.add(new Case(
                        "check with a genuine token, method " + what,
                        "GET",
                        "proxy/check",
                        Map.of(
                                "X-Proxyme-Portal",
                                "portal-a",
                                "Authorization",
                                "GENUINE",
                                "X-Forwarded-Method",
                                value,
                                "X-Forwarded-Uri",
                                "/reports/1"),
                        null,
                        null,
                        403));
                cases.add(new Case(
                        "check with a genuine token, uri " + what,
                        "GET",
                        "proxy/check",
                        Map.of(
                                "X-Proxyme-Portal",
                                "portal-a",
                                "Authorization",
                                "GENUINE",
                                "X-Forwarded-Method",
                                "GET",
                                "X-Forwarded-Uri",
                                value),
                        null,
                        null,
                        403));
                cases.add(new Case(
                        "session, portal header " + what,
                        "POST",
                        "proxy/session",
                        Map.of("X-Proxyme-Portal", value, "Authorization", "GENUINE"),
                        null,
                        null,
                        400));
                cases.add(new Case(
                        "logout with a genuine token, portal header " + what,
                        "POST",
                        "proxy/logout",
                        Map.of("X-Proxyme-Portal", value, "Authorization", "WRONG-PORTAL"),
                        null,
                        null,
                        200));
            }
            cases.add(new Case(
                    "session, form token " + what,
                    "POST",
                    "proxy/session",
                    portalA,
                    "application/x-www-form-urlencoded",
                    "token=" + encode(value),
                    401));
        });
        cases.add(new Case(
                "check, no portal", "GET", "proxy/check", Map.of("Authorization", "GENUINE"), null, null, 400));
        cases.add(new Case(
                "check, Basic instead of Bearer",
                "GET",
                "proxy/check",
                Map.of("X-Proxyme-Portal", "portal-a", "Authorization", "Basic Zm9vOmJhcg=="),
                null,
                null,
                401));
        cases.add(new Case(
                "check, empty Bearer",
                "GET",
                "proxy/check",
                Map.of("X-Proxyme-Portal", "portal-a", "Authorization", "Bearer "),
                null,
                null,
                401));
        cases.add(new Case(
                "session, malformed percent-encoding",
                "POST",
                "proxy/session",
                portalA,
                "application/x-www-form-urlencoded",
                "token=%zz%&&==",
                AS_KEYCLOAK_TOKEN_ENDPOINT,
                true));
        cases.add(new Case(
                "session, JSON body", "POST", "proxy/session", portalA, "application/json", "{\"token\":\"x\"}", 401));
        cases.add(new Case("session, text body", "POST", "proxy/session", portalA, "text/plain", "token=x", 401));
        cases.add(new Case(
                "session, 1 MiB+ form",
                "POST",
                "proxy/session",
                portalA,
                "application/x-www-form-urlencoded",
                "token=" + "x".repeat(1024 * 1024 + 10),
                413,
                true));
        cases.add(new Case("session, no body", "POST", "proxy/session", portalA, null, null, 401));
        cases.add(new Case("logout, no token", "POST", "proxy/logout", portalA, null, null, 200));
        cases.add(new Case(
                "logout, forged token",
                "POST",
                "proxy/logout",
                Map.of("X-Proxyme-Portal", "portal-a", "Authorization", "Bearer a.b.c"),
                null,
                null,
                200));
        return cases.stream();
    }

    /**
     * {@code GENUINE} stands for a valid token of portal-a (the check must then decide on the odd route), and
     * {@code WRONG-PORTAL} for a genuine token that an odd portal header asks to log out: both are minted per case so
     * that a logout ending one cannot hide another case's answer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("proxyRequests")
    void theProxyEndpointsAnswerBadInputClearly(Case badRequest) {
        Map<String, String> headers = new LinkedHashMap<>(badRequest.headers());
        if (badRequest.path().equals("proxy/check") && "portal-a".equals(headers.get("X-Proxyme-Portal"))) {
            // The shipped proxy configs authenticate as the portal: the odd values are in the other headers.
            headers.put("X-Proxyme-Portal-Secret", "portal-a-secret");
        }
        String genuine = null;
        if ("GENUINE".equals(headers.get("Authorization")) || "WRONG-PORTAL".equals(headers.get("Authorization"))) {
            genuine = client.delegateAsBackend("alice", "fixed-agent", List.of("read"), "portal-a")
                    .text("delegation_token");
            headers.put("Authorization", bearer(genuine));
        }
        Reply reply = client.request(
                client.proxymeUri(REALM, badRequest.path()),
                badRequest.method(),
                badRequest.contentType(),
                badRequest.body(),
                headers);
        int expected = badRequest.status() == AS_KEYCLOAK_TOKEN_ENDPOINT
                ? client.keycloakTokenEndpointAnswer(badRequest.body()).status()
                : badRequest.status();
        assertEquals(expected, reply.status(), reply::toString);
        if (badRequest.byKeycloak()) {
            assertAnsweredByKeycloak(reply);
        } else if (reply.status() >= 400) {
            assertOAuthError(reply);
        } else {
            assertFalse(reply.body().contains("Exception"), reply::toString);
        }
        if (genuine != null && badRequest.path().equals("proxy/logout")) {
            assertFalse(client.isActive(genuine), "logging out ends the delegation whatever the portal header says");
        }
    }

    private static Map<String, String> oddValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("empty", "");
        values.put("spaces", "   ");
        values.put("NUL", "a\u0000b");
        values.put("control characters", "\u0001\u001f\u007f");
        values.put("CRLF", "a\r\nX-Injected: 1");
        values.put("lone surrogate", "\ud800");
        values.put("emoji", "\uD83D\uDE00\uD83D\uDC4D");
        values.put("right-to-left override", "\u202Eadmin");
        values.put("combining marks", "e\u0301\u0301\u0301");
        values.put("fullwidth", "\uFF50\uFF4F\uFF52\uFF54\uFF41\uFF4C");
        values.put("byte order mark", "\uFEFFportal-a");
        values.put("dot segments", "../../admin");
        values.put("percent signs", "%00%2e%2e%2f");
        values.put("SQL", "' OR '1'='1");
        values.put("JSON", "{\"$ne\":null}");
        values.put("1 KB", "y".repeat(1024));
        values.put("10 KB", "x".repeat(10 * 1024));
        return values;
    }

    /** What the JDK's HTTP client lets a header carry (it refuses control characters, as a proxy would). */
    private static boolean isHeaderSafe(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !value.isEmpty() && value.length() < 8 * 1024;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
