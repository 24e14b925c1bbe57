package dev.proxyme.hostile;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delegation token, or the identity assertion the proxy hands a portal, must never become anything else: not an
 * ordinary token of its user through Keycloak's token exchange (RFC 8693) in any of its variants, whichever client
 * asks and whatever that client's exchange settings, and not a credential at any other Keycloak endpoint. The user is
 * the realm administrator, so that anything laundered would carry the most.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenLaunderingIT {

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final List<String> SUBJECT_TOKEN_TYPES = List.of(
            ACCESS_TOKEN,
            "urn:ietf:params:oauth:token-type:jwt",
            "urn:ietf:params:oauth:token-type:id_token",
            "urn:ietf:params:oauth:token-type:refresh_token");
    private static final List<String> REQUESTED_TOKEN_TYPES = List.of(
            ACCESS_TOKEN,
            "urn:ietf:params:oauth:token-type:refresh_token",
            "urn:ietf:params:oauth:token-type:id_token",
            "urn:ietf:params:oauth:token-type:saml2",
            "urn:ietf:params:oauth:token-type:jwt");
    private static final List<String> AUDIENCES =
            List.of("portal-a", "portal-b", "account", "realm-management", "backend", "fixed-agent");
    /** Who could ask: the token's portal, its agent, and a trusted backend; each with standard token exchange on. */
    private static final Map<String, String> REQUESTERS =
            Map.of("portal-a", "portal-a-secret", "fixed-agent", "fixed-agent-secret", "backend", "backend-secret");

    private final ProxymeClient client;
    private String delegationToken;
    private String assertion;

    TokenLaunderingIT(ProxymeClient client) {
        this.client = client;
    }

    @BeforeAll
    void enableTokenExchangeAndMint() {
        for (String requester : REQUESTERS.keySet()) {
            client.setClientAttribute(requester, "standard.token.exchange.enabled", "true");
        }
        Reply granted = client.delegateAsBackend("root", "fixed-agent", List.of("read", "write"), "portal-a");
        assertEquals(200, granted.status(), granted::toString);
        delegationToken = granted.text("delegation_token");
        Reply checked = client.proxyCheck(delegationToken);
        assertEquals(200, checked.status(), checked::toString);
        assertion = checked.headers().firstValue("X-Proxyme-Assertion").orElseThrow();
    }

    @AfterAll
    void disableTokenExchange() {
        for (String requester : REQUESTERS.keySet()) {
            client.setClientAttribute(requester, "standard.token.exchange.enabled", "false");
        }
    }

    /** Control: the setting is effective, each requester really may exchange an ordinary token issued to it. */
    @Test
    void exchangeIsOnForEveryRequester() {
        for (String requester : List.of("fixed-agent", "backend")) {
            Reply own = client.clientCredentials(REALM, requester, REQUESTERS.get(requester));
            assertEquals(200, own.status(), own::toString);
            Reply exchanged = exchange(
                    requester, Map.of("subject_token", own.text("access_token"), "subject_token_type", ACCESS_TOKEN));
            assertEquals(
                    200, exchanged.status(), "control: " + requester + " may exchange its own token: " + exchanged);
        }
        setDirectAccessGrants("portal-a", true);
        try {
            Reply alices = client.form(
                    client.tokenEndpoint(REALM),
                    Map.of("grant_type", "password", "username", "alice", "password", "alice-password"),
                    basic("portal-a", "portal-a-secret"));
            assertEquals(200, alices.status(), alices::toString);
            Reply exchanged = exchange(
                    "portal-a",
                    Map.of("subject_token", alices.text("access_token"), "subject_token_type", ACCESS_TOKEN));
            assertEquals(
                    200,
                    exchanged.status(),
                    "control: the portal may exchange a user's token issued to it: " + exchanged);
        } finally {
            setDirectAccessGrants("portal-a", false);
        }
    }

    private void setDirectAccessGrants(String clientId, boolean enabled) {
        Reply found = client.get(
                URI.create(client.adminUri(REALM, "/clients") + "?clientId=" + clientId), bearer(client.rootToken()));
        var rep = (com.fasterxml.jackson.databind.node.ObjectNode) found.json().get(0);
        rep.put("directAccessGrantsEnabled", enabled);
        Reply updated = client.send(
                client.adminUri(REALM, "/clients/" + rep.get("id").asText()),
                "PUT",
                "application/json",
                rep.toString(),
                bearer(client.rootToken()));
        assertEquals(204, updated.status(), updated::toString);
    }

    @Test
    void aDelegationTokenIsRefusedAsTheSubjectOfEveryExchange() {
        for (String token : List.of(delegationToken, assertion)) {
            for (Map<String, String> variant : variants(token)) {
                for (String requester : REQUESTERS.keySet()) {
                    Reply reply = exchange(requester, variant);
                    assertRefused(
                            reply,
                            requester + " " + variant.keySet() + " "
                                    + variant.values().stream()
                                            .filter(v -> v.length() < 80)
                                            .toList());
                }
            }
        }
        assertTrue(client.isActive(delegationToken), "the token itself still works at its portal");
    }

    @Test
    void aDelegationTokenIsRefusedAsTheActorOfEveryExchange() {
        String subject =
                client.clientCredentials(REALM, "backend", "backend-secret").text("access_token");
        for (String actor : List.of(delegationToken, assertion)) {
            for (String actorType : SUBJECT_TOKEN_TYPES) {
                for (String requester : REQUESTERS.keySet()) {
                    Map<String, String> form = new LinkedHashMap<>();
                    form.put("subject_token", subject);
                    form.put("subject_token_type", ACCESS_TOKEN);
                    form.put("actor_token", actor);
                    form.put("actor_token_type", actorType);
                    assertRefused(exchange(requester, form), requester + " actor " + actorType);
                }
            }
        }
    }

    /** Even unsigned, a token that looks like a delegation token is not exchanged: nothing is lost by refusing it. */
    @Test
    void anAlteredDelegationTokenIsRefusedToo() {
        String[] parts = delegationToken.split("\\.");
        for (String altered : List.of(parts[0] + "." + parts[1] + ".", parts[0] + "." + parts[1] + ".AAAA")) {
            Reply reply = exchange("portal-a", Map.of("subject_token", altered, "subject_token_type", ACCESS_TOKEN));
            assertEquals(400, reply.status(), reply::toString);
            assertFalse(reply.json().has("access_token"), reply::toString);
        }
    }

    @Test
    void neitherIsACredentialAnywhereElseInKeycloak() {
        URI userinfo = URI.create(client.tokenEndpoint(REALM).toString().replace("/token", "/userinfo"));
        URI account = URI.create(client.proxymeUri(REALM, "x").toString().replace("/proxyme/x", "/account/"));
        URI registration = URI.create(
                client.proxymeUri(REALM, "x").toString().replace("/proxyme/x", "/clients-registrations/default"));
        URI oidcRegistration = URI.create(registration.toString().replace("/default", "/openid-connect"));
        assertEquals(
                201,
                client.send(
                                registration,
                                "POST",
                                "application/json",
                                "{\"clientId\":\"laundering-control-" + System.nanoTime() + "\"}",
                                bearer(client.rootToken()))
                        .status(),
                "control: root may register clients");
        for (String token : List.of(delegationToken, assertion)) {
            assertNotEquals(200, client.get(userinfo, bearer(token)).status(), "userinfo");
            assertEquals(401, client.get(account, bearer(token)).status(), "account REST");
            assertEquals(
                    401,
                    client.get(client.adminUri(REALM, "/users"), bearer(token)).status(),
                    "admin REST");
            for (Map.Entry<URI, String> endpoint : Map.of(
                            registration,
                            "{\"clientId\":\"laundered-" + System.nanoTime()
                                    + "\",\"redirectUris\":[\"https://evil.example/cb\"]}",
                            oidcRegistration,
                            "{\"client_name\":\"laundered\",\"redirect_uris\":[\"https://evil.example/cb\"]}")
                    .entrySet()) {
                Reply registered =
                        client.send(endpoint.getKey(), "POST", "application/json", endpoint.getValue(), bearer(token));
                assertTrue(
                        registered.status() == 401 || registered.status() == 403,
                        endpoint.getKey() + ": " + registered);
            }
            Reply uma = client.send(
                    client.tokenEndpoint(REALM),
                    "POST",
                    "application/x-www-form-urlencoded",
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Auma-ticket&audience=portal-a",
                    bearer(token));
            assertTrue(uma.status() >= 400 && !uma.body().contains("access_token"), "UMA: " + uma);
        }
        assertFalse(
                client.introspect(assertion, "portal-a", "portal-a-secret")
                        .get("active")
                        .asBoolean(),
                "the identity assertion is not an access token at introspection");
    }

    /**
     * An administrator may give an agent scope mappings (realm-management's create-client, say) and the "roles" scope:
     * the user's roles still never reach a delegation token, nor its introspection, and client registration refuses it.
     */
    @Test
    void noRoleOfTheUserEverReachesADelegationToken() throws Exception {
        var agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String agentUuid = client.clientUuid(agent.clientId());
        String realmManagement = client.clientUuid("realm-management");
        JsonNode createClient = client.get(
                        client.adminUri(REALM, "/clients/" + realmManagement + "/roles/create-client"),
                        bearer(client.rootToken()))
                .json();
        assertEquals(
                204,
                client.send(
                                client.adminUri(
                                        REALM, "/clients/" + agentUuid + "/scope-mappings/clients/" + realmManagement),
                                "POST",
                                "application/json",
                                "[" + createClient + "]",
                                bearer(client.rootToken()))
                        .status());
        String rolesScope = null;
        for (JsonNode scope : client.get(client.adminUri(REALM, "/client-scopes"), bearer(client.rootToken()))
                .json()) {
            if ("roles".equals(scope.get("name").asText())) {
                rolesScope = scope.get("id").asText();
            }
        }
        assertEquals(
                204,
                client.send(
                                client.adminUri(
                                        REALM, "/clients/" + agentUuid + "/default-client-scopes/" + rolesScope),
                                "PUT",
                                null,
                                null,
                                bearer(client.rootToken()))
                        .status());

        String token = client.delegateAsBackend("root", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_token");
        JsonNode claims =
                ProxymeClient.JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertFalse(claims.has("realm_access") || claims.has("resource_access"), claims::toString);
        assertFalse(claims.get("scope").asText().contains("openid"), claims::toString);
        JsonNode introspected = client.introspect(token, "portal-a", "portal-a-secret");
        assertTrue(introspected.get("active").asBoolean());
        assertFalse(introspected.has("realm_access") || introspected.has("resource_access"), introspected::toString);

        URI registration = URI.create(
                client.proxymeUri(REALM, "x").toString().replace("/proxyme/x", "/clients-registrations/default"));
        Reply registered = client.send(
                registration,
                "POST",
                "application/json",
                "{\"clientId\":\"with-delegation-" + System.nanoTime() + "\"}",
                bearer(token));
        assertTrue(registered.status() == 401 || registered.status() == 403, registered::toString);
    }

    private List<Map<String, String>> variants(String token) {
        List<Map<String, String>> variants = new ArrayList<>();
        for (String subjectType : SUBJECT_TOKEN_TYPES) {
            variants.add(Map.of("subject_token", token, "subject_token_type", subjectType));
        }
        for (String requested : REQUESTED_TOKEN_TYPES) {
            variants.add(Map.of(
                    "subject_token", token, "subject_token_type", ACCESS_TOKEN, "requested_token_type", requested));
        }
        for (String audience : AUDIENCES) {
            variants.add(Map.of("subject_token", token, "subject_token_type", ACCESS_TOKEN, "audience", audience));
            variants.add(Map.of(
                    "subject_token",
                    token,
                    "subject_token_type",
                    ACCESS_TOKEN,
                    "audience",
                    audience,
                    "requested_token_type",
                    "urn:ietf:params:oauth:token-type:refresh_token",
                    "scope",
                    "openid"));
        }
        variants.add(
                Map.of("subject_token", token, "subject_token_type", ACCESS_TOKEN, "scope", "openid profile email"));
        variants.add(Map.of(
                "subject_token", token, "subject_token_type", ACCESS_TOKEN, "resource", "http://127.0.0.1/portal"));
        variants.add(Map.of("subject_token", token, "subject_token_type", ACCESS_TOKEN, "requested_subject", "alice"));
        return variants;
    }

    private Reply exchange(String requester, Map<String, String> parameters) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", EXCHANGE);
        form.putAll(parameters);
        return client.form(client.tokenEndpoint(REALM), form, basic(requester, REQUESTERS.get(requester)));
    }

    private static void assertRefused(Reply reply, String what) {
        assertError(reply, 400, "invalid_request");
        assertFalse(reply.json().has("access_token") || reply.json().has("refresh_token"), what + ": " + reply);
        assertTrue(reply.text("error_description").contains("cannot be exchanged"), what + ": " + reply);
    }
}
