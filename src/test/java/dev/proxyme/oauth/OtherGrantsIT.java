package dev.proxyme.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.oauth.AuthorizationCodeFlowIT.PORTAL_A;
import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ways to a user's token that show no Proxyme page grant an agent nothing, whatever an administrator switched on
 * for it: the implicit and hybrid flows, the password grant, CIBA (backchannel authentication). Request objects and
 * pushed requests ({@code request}, {@code request_uri}) are checked as they take effect, so a query cannot add to them.
 */
@ExtendWith(KeycloakServerExtension.class)
class OtherGrantsIT {

    private static final String REDIRECT = "https://agent.example/callback";
    private static final String PORTAL_B = "https://portal-b.example/api";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final ProxymeClient client;
    private String agentId;
    private String agentSecret;

    OtherGrantsIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeEach
    void registerAgent() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Switched-on Agent");
        body.put("scopes", List.of("read", "write"));
        body.put("portals", List.of("portal-a"));
        body.put("redirect_uris", List.of(REDIRECT));
        Reply registered = client.registerAgent(body);
        assertEquals(201, registered.status(), registered::toString);
        agentId = registered.text("client_id");
        agentSecret = registered.text("client_secret");
    }

    /** An administrator turns the implicit flow on: tokens would come back in the fragment, where PKCE means nothing. */
    @Test
    void theImplicitAndHybridFlowsGiveAnAgentNothing() {
        updateAgent(rep -> rep.put("implicitFlowEnabled", true));
        for (String responseType :
                List.of("token", "id_token token", "code token", "code id_token", "code id_token token", "id_token")) {
            Reply reply = client.get(
                    authorize(Map.of("response_type", responseType, "scope", "openid read", "resource", PORTAL_A)),
                    null);
            assertEquals(302, reply.status(), () -> responseType + ": " + reply);
            String location = reply.headers().firstValue("Location").orElse("");
            assertTrue(location.startsWith(REDIRECT), location);
            assertTrue(location.contains("error=unsupported_response_type"), () -> responseType + ": " + location);
            assertFalse(
                    location.contains("access_token") || location.contains("id_token=") || location.contains("code="),
                    () -> responseType + " yields nothing: " + location);
        }
        Reply code =
                client.get(authorize(Map.of("response_type", "code", "scope", "read", "resource", PORTAL_A)), null);
        assertEquals(200, code.status(), () -> "control: the code flow asks the user to log in: " + code);
    }

    @Test
    void thePasswordGrantAndCibaGiveAnAgentNothing() {
        updateAgent(rep -> {
            rep.put("directAccessGrantsEnabled", true);
            ((ObjectNode) rep.get("attributes")).put("oidc.ciba.grant.enabled", "true");
        });
        Reply password = client.form(
                client.tokenEndpoint(REALM),
                Map.of("grant_type", "password", "username", "alice", "password", "alice-password", "scope", "read"),
                ProxymeClient.basic(agentId, agentSecret));
        assertError(password, 400, "unauthorized_client");
        assertFalse(password.body().contains("access_token"), password::toString);

        Reply ciba = client.form(
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/ext/ciba/auth"),
                Map.of("login_hint", "alice", "scope", "openid read"),
                ProxymeClient.basic(agentId, agentSecret));
        assertError(ciba, 400, "unauthorized_client");
        assertFalse(ciba.body().contains("auth_req_id"), ciba::toString);
    }

    /**
     * A request object's values take effect over the query's (OIDC Core 6.1): the policy checks those, so a resource
     * the agent may not reach is refused even when the query names one it may.
     */
    @Test
    void aRequestObjectIsCheckedAsItTakesEffect() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("client_id", agentId);
        claims.put("response_type", "code");
        claims.put("redirect_uri", REDIRECT);
        claims.put("scope", "read");
        claims.put("resource", PORTAL_B);
        claims.put("code_challenge", CHALLENGE);
        claims.put("code_challenge_method", "S256");
        claims.put("state", "s1");
        Reply reply = client.get(
                authorize(Map.of(
                        "response_type", "code", "scope", "read", "resource", PORTAL_A, "request", unsigned(claims))),
                null);
        assertEquals(302, reply.status(), reply::toString);
        String location = reply.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith(REDIRECT) && location.contains("error=invalid_target"), location);
    }

    /** A pushed request naming offline_access, or no scope, is accepted as the authorization endpoint accepts it. */
    @Test
    void aPushedRequestForOfflineAccessOrWithoutScopeIsTakenAndShowsOnlyWhatIsDelegated() {
        Map<String, String> withoutScope = pushedRequest();
        withoutScope.remove("scope");
        Reply noScope = client.form(
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/ext/par/request"),
                withoutScope,
                ProxymeClient.basic(agentId, agentSecret));
        assertEquals(201, noScope.status(), noScope::toString);

        Map<String, String> pushed = pushedRequest();
        pushed.put("scope", "openid read offline_access");
        Reply par = client.form(
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/ext/par/request"),
                pushed,
                ProxymeClient.basic(agentId, agentSecret));
        assertEquals(201, par.status(), par::toString);
        URI authorization = URI.create(client.issuer(REALM) + "/protocol/openid-connect/auth?client_id=" + agentId
                + "&request_uri=" + encode(par.text("request_uri")));
        try (Browser browser = new Browser()) {
            browser.open(authorization.toString());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-consent-form"));
            assertTrue(browser.has(By.id("proxyme-scope-read")));
            assertFalse(browser.has(By.id("proxyme-scope-offline_access")), "offline_access is no permission");
            browser.await(By.id("proxyme-deny")).click();
        }
    }

    /** A pushed request is what the user decides on: a query sent with its request_uri adds nothing to it. */
    @Test
    void aPushedRequestIsWhatTheUserSeesWhateverTheQueryAdds() {
        Map<String, String> pushed = pushedRequest();
        Reply par = client.form(
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/ext/par/request"),
                pushed,
                ProxymeClient.basic(agentId, agentSecret));
        assertEquals(201, par.status(), par::toString);
        String requestUri = par.text("request_uri");
        URI authorization =
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/auth?client_id=" + agentId + "&request_uri="
                        + encode(requestUri) + "&scope=" + encode("read write") + "&resource=" + encode(PORTAL_B));
        try (Browser browser = new Browser()) {
            browser.open(authorization.toString());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-consent-form"));
            assertTrue(browser.has(By.id("proxyme-scope-read")));
            assertFalse(browser.has(By.id("proxyme-scope-write")), "the query's scope added nothing");
            assertTrue(browser.text("proxyme-request").contains("Portal A"), browser.text("proxyme-request"));
            browser.await(By.id("proxyme-deny")).click();
        }
    }

    /**
     * Keycloak skips a required action named in {@code kc_action} that cannot run as an application-initiated action,
     * so an agent naming Proxyme's would get a code, in a browser that already approved it once, for a request the
     * user never saw. Every way of sending it is refused before anything happens: the query, a request object, a
     * pushed request; whatever the action named and however it is spelled.
     */
    @Test
    void anAgentCannotStartAnApplicationInitiatedAction() {
        Map<String, String> approved = Map.of("response_type", "code", "scope", "read", "resource", PORTAL_A);
        String cookies;
        try (Browser browser = new Browser()) {
            browser.open(authorize(approved).toString());
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-approve")).click();
            new WebDriverWait(browser.driver(), Duration.ofSeconds(30))
                    .until(driver -> driver.getCurrentUrl().startsWith(REDIRECT));
            // Back on Keycloak's origin, whose cookies (the login session's) are the ones to replay.
            browser.open(client.issuer(REALM) + "/.well-known/openid-configuration");
            cookies = browser.cookieHeader();
        }
        Reply again = client.request(
                authorize(approved), "GET", null, null, Map.of("Cookie", cookies, "Accept", "text/html"));
        String consentPage = again.headers().firstValue("Location").orElse("");
        assertEquals(302, again.status(), again::toString);
        assertTrue(
                consentPage.contains("/login-actions/required-action?execution=proxyme-agent-consent"),
                () -> "control: in the same login session, the same request goes to the page again: " + consentPage);

        for (String action : List.of("proxyme-agent-consent", "PROXYME-AGENT-CONSENT", "UPDATE_PASSWORD", "x:y")) {
            Map<String, String> withAction = new LinkedHashMap<>(approved);
            withAction.put("scope", "read write");
            withAction.put("kc_action", action);
            Reply reply = client.request(
                    authorize(withAction), "GET", null, null, Map.of("Cookie", cookies, "Accept", "text/html"));
            assertRefusedAtTheRedirect(reply, action);
        }

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("client_id", agentId);
        claims.put("response_type", "code");
        claims.put("redirect_uri", REDIRECT);
        claims.put("scope", "read");
        claims.put("resource", PORTAL_A);
        claims.put("code_challenge", CHALLENGE);
        claims.put("code_challenge_method", "S256");
        claims.put("state", "s1");
        claims.put("kc_action", "proxyme-agent-consent");
        Reply requestObject = client.request(
                authorize(Map.of("response_type", "code", "scope", "read", "request", unsigned(claims))),
                "GET",
                null,
                null,
                Map.of("Cookie", cookies, "Accept", "text/html"));
        assertRefusedAtTheRedirect(requestObject, "in a request object");

        Map<String, String> pushed = pushedRequest();
        pushed.put("kc_action", "proxyme-agent-consent");
        Reply par = client.form(
                URI.create(client.issuer(REALM) + "/protocol/openid-connect/ext/par/request"),
                pushed,
                ProxymeClient.basic(agentId, agentSecret));
        assertError(par, 400, "invalid_request");
        assertFalse(par.body().contains("request_uri"), par::toString);
    }

    /** What an agent pushes (RFC 9126) for a read of portal A: a complete, valid request. */
    private static Map<String, String> pushedRequest() {
        Map<String, String> pushed = new LinkedHashMap<>();
        pushed.put("response_type", "code");
        pushed.put("redirect_uri", REDIRECT);
        pushed.put("scope", "read");
        pushed.put("resource", PORTAL_A);
        pushed.put("code_challenge", CHALLENGE);
        pushed.put("code_challenge_method", "S256");
        pushed.put("state", "s1");
        return pushed;
    }

    private static void assertRefusedAtTheRedirect(Reply reply, String what) {
        assertEquals(302, reply.status(), () -> what + ": " + reply);
        String location = reply.headers().firstValue("Location").orElse("");
        assertTrue(
                location.startsWith(REDIRECT) && location.contains("error=invalid_request"),
                () -> what + ": " + location);
        assertFalse(location.contains("code="), () -> what + " yields no code: " + location);
    }

    private URI authorize(Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "client_id",
                agentId,
                "redirect_uri",
                REDIRECT,
                "state",
                "s1",
                "nonce",
                "n1",
                "code_challenge",
                CHALLENGE,
                "code_challenge_method",
                "S256"));
        all.putAll(parameters);
        StringBuilder query = new StringBuilder();
        all.forEach((name, value) -> query.append(query.isEmpty() ? "" : "&")
                .append(encode(name))
                .append('=')
                .append(encode(value)));
        return URI.create(client.issuer(REALM) + "/protocol/openid-connect/auth?" + query);
    }

    private void updateAgent(java.util.function.Consumer<ObjectNode> change) {
        String uuid = client.clientUuid(agentId);
        ObjectNode rep = (ObjectNode) client.get(client.adminUri(REALM, "/clients/" + uuid), bearer(client.rootToken()))
                .json();
        change.accept(rep);
        Reply updated = client.send(
                client.adminUri(REALM, "/clients/" + uuid),
                "PUT",
                "application/json",
                rep.toString(),
                bearer(client.rootToken()));
        assertEquals(204, updated.status(), updated::toString);
    }

    /** An unsigned request object ({@code alg: none}), which Keycloak accepts from a client that names no algorithm. */
    private static String unsigned(Map<String, Object> claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(ProxymeClient.json(claims).getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
