package dev.proxyme.agent;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.clients.Agent;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KeycloakServerExtension.class)
class AgentRegistrationIT {

    private final ProxymeClient client;

    AgentRegistrationIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void registersAConfidentialClientThatCanOnlyBeAnAgent() {
        Reply reply = client.proxyme(
                "register_agent",
                bearer(client.rootToken()),
                Map.of(
                        "name",
                        "Invoice bot",
                        "scopes",
                        List.of("read", "write"),
                        "portals",
                        List.of("portal-a"),
                        "token_lifetime_seconds",
                        120));
        assertEquals(201, reply.status(), reply::toString);
        JsonNode body = reply.json();
        String clientId = body.get("client_id").asText();
        assertTrue(clientId.startsWith("agent-"), clientId);
        assertTrue(body.get("client_secret").asText().length() >= 32);
        assertEquals(List.of("read", "write"), strings(body.get("scopes")));
        assertEquals(List.of("portal-a"), strings(body.get("portals")));
        assertEquals(120, body.get("token_lifetime_seconds").asInt());
        assertEquals("no-store", reply.headers().firstValue("Cache-Control").orElse(""));

        JsonNode rep = adminClient(clientId);
        assertEquals("Invoice bot", rep.get("name").asText());
        assertFalse(rep.get("publicClient").asBoolean());
        assertFalse(rep.get("standardFlowEnabled").asBoolean());
        assertFalse(rep.get("implicitFlowEnabled").asBoolean());
        assertFalse(rep.get("directAccessGrantsEnabled").asBoolean());
        assertTrue(rep.get("serviceAccountsEnabled").asBoolean());
        assertFalse(rep.get("fullScopeAllowed").asBoolean());
        assertEquals("true", rep.get("attributes").get("proxyme.agent").asText());
        assertEquals("portal-a", rep.get("attributes").get("proxyme.portals").asText());
        assertEquals("120", rep.get("attributes").get("access.token.lifespan").asText());
        List<String> defaults = strings(rep.get("defaultClientScopes"));
        assertFalse(
                defaults.contains("profile") || defaults.contains("email") || defaults.contains("roles"),
                defaults::toString);
        List<String> optional = strings(rep.get("optionalClientScopes"));
        assertEquals(
                List.of("read", "write"),
                optional.stream()
                        .filter(name -> !Agent.OPENID_CONNECT_SCOPES.contains(name))
                        .sorted()
                        .toList(),
                "the delegable scopes, beside OpenID Connect's that clients may name: " + optional);
        assertTrue(optional.contains("offline_access"), "so that a request naming it is not refused: " + optional);

        // The agent authenticates like any OAuth client.
        Reply ownToken = client.clientCredentials(
                REALM, clientId, body.get("client_secret").asText());
        assertEquals(200, ownToken.status(), ownToken::toString);

        Reply delegated = client.delegateAsBackend("alice", clientId, List.of("read"), null);
        assertEquals(200, delegated.status(), delegated::toString);
        assertEquals("portal-a", delegated.text("portal"));
        assertTrue(delegated.json().get("expires_in").asLong() <= 120);
    }

    @Test
    void defaultsToAnyPortalAndFiveMinuteTokens() {
        Reply reply = client.proxyme("register_agent", bearer(client.rootToken()), Map.of("scopes", List.of("read")));
        assertEquals(201, reply.status(), reply::toString);
        assertEquals(List.of(), strings(reply.json().get("portals")));
        assertEquals(300, reply.json().get("token_lifetime_seconds").asInt());
        String agent = reply.text("client_id");
        assertEquals(
                200,
                client.delegateAsBackend("alice", agent, List.of("read"), "portal-a")
                        .status());
        assertEquals(
                200,
                client.delegateAsBackend("alice", agent, List.of("read"), "portal-b")
                        .status());
    }

    @Test
    void aClientsAdministratorMayRegister() {
        Reply reply = client.proxyme(
                "register_agent",
                bearer(client.userToken("clients-admin", "clients-admin-password")),
                Map.of("scopes", List.of("read")));
        assertEquals(201, reply.status(), reply::toString);
    }

    @Test
    void refusesCallersWithoutAValidToken() {
        Reply anonymous = client.proxyme("register_agent", null, Map.of("scopes", List.of("read")));
        assertError(anonymous, 401, "invalid_token");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        assertError(
                client.proxyme("register_agent", bearer("not.a.token"), Map.of("scopes", List.of("read"))),
                401,
                "invalid_token");
        String otherRealmAdmin = client.userToken(ProxymeClient.DEMO_REALM, "realm-admin", "realm-admin");
        assertError(
                client.proxyme("register_agent", bearer(otherRealmAdmin), Map.of("scopes", List.of("read"))),
                401,
                "invalid_token");
        assertError(
                client.proxyme("register_agent", ProxymeClient.BACKEND, Map.of("scopes", List.of("read"))),
                401,
                "invalid_token");
    }

    @Test
    void refusesUsersWithoutManageClients() {
        for (String[] user : List.of(
                new String[] {"alice", "alice-password"}, new String[] {"users-admin", "users-admin-password"})) {
            Reply reply = client.proxyme(
                    "register_agent", bearer(client.userToken(user[0], user[1])), Map.of("scopes", List.of("read")));
            assertError(reply, 403, "access_denied");
        }
    }

    @Test
    void refusesWhatTheRealmDoesNotHave() {
        String root = bearer(client.rootToken());
        assertError(
                client.proxyme("register_agent", root, Map.of("scopes", List.of("read", "launch-missiles"))),
                400,
                "invalid_scope");
        assertError(client.proxyme("register_agent", root, Map.of("scopes", List.of())), 400, "invalid_scope");
        assertError(client.proxyme("register_agent", root, Map.of("scopes", List.of("basic"))), 400, "invalid_scope");
        assertError(
                client.proxyme(
                        "register_agent", root, Map.of("scopes", List.of("read"), "portals", List.of("nowhere"))),
                400,
                "invalid_target");
        assertError(
                client.proxyme(
                        "register_agent", root, Map.of("scopes", List.of("read"), "portals", List.of("not-a-portal"))),
                400,
                "invalid_target");
        assertError(
                client.proxyme("register_agent", root, Map.of("scopes", List.of("read"), "portals", List.of())),
                400,
                "invalid_target");
        assertError(
                client.proxyme("register_agent", root, Map.of("scopes", List.of("read"), "token_lifetime_seconds", 59)),
                400,
                "invalid_request");
        assertError(
                client.proxyme(
                        "register_agent", root, Map.of("scopes", List.of("read"), "token_lifetime_seconds", 601)),
                400,
                "invalid_request");
        assertError(
                client.proxyme("register_agent", root, Map.of("scopes", List.of("read"), "name", "x".repeat(256))),
                400,
                "invalid_request");
    }

    /** RFC 7591 names: redirect URIs turn the authorization code flow on, PKCE S256 always, "none" makes it public. */
    @Test
    void registersAPublicAgentForTheStandardFlows() {
        Reply reply = client.registerAgent(Map.of(
                "name",
                "Desktop agent",
                "scopes",
                List.of("read"),
                "portals",
                List.of("portal-a"),
                "redirect_uris",
                List.of("http://127.0.0.1/callback", "https://agent.example/oauth/callback"),
                "token_endpoint_auth_method",
                "none"));
        assertEquals(201, reply.status(), reply::toString);
        JsonNode body = reply.json();
        assertFalse(body.has("client_secret"), "a public agent has no secret");
        assertEquals("none", body.get("token_endpoint_auth_method").asText());
        assertEquals(
                List.of("http://127.0.0.1/callback", "https://agent.example/oauth/callback"),
                strings(body.get("redirect_uris")));
        assertEquals(
                List.of("authorization_code", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
                strings(body.get("grant_types")),
                "no Proxyme extension grant without a secret to authenticate it");

        JsonNode rep = adminClient(body.get("client_id").asText());
        assertTrue(rep.get("publicClient").asBoolean());
        assertTrue(rep.get("standardFlowEnabled").asBoolean());
        assertFalse(rep.get("serviceAccountsEnabled").asBoolean());
        assertFalse(rep.get("implicitFlowEnabled").asBoolean());
        assertEquals(
                "true",
                rep.get("attributes")
                        .get("oauth2.device.authorization.grant.enabled")
                        .asText());

        Reply delegate = client.proxyme(
                "delegate",
                ProxymeClient.basic(body.get("client_id").asText(), ""),
                Map.of("delegation_id", "00000000-0000-0000-0000-000000000000"));
        assertEquals(401, delegate.status(), () -> "a public agent cannot use the JSON operations: " + delegate);
    }

    @Test
    void refusesRedirectUrisAnAttackerCouldReceiveCodesAt() {
        for (Object redirectUris : List.of(
                List.of("http://agent.example/callback"),
                List.of("https://agent.example/*"),
                List.of("https://agent.example/cb#frag"),
                List.of("javascript:alert(1)"),
                List.of("/relative"),
                List.of("https://user@agent.example/cb"),
                List.of("https://agent.example/cb\r\nX: y"),
                List.of(),
                List.of("http://127.0.0.1.evil.example/cb"),
                List.of("https://agent.example/ cb"))) {
            Reply reply = client.registerAgent(Map.of("scopes", List.of("read"), "redirect_uris", redirectUris));
            assertError(reply, 400, "invalid_redirect_uri");
        }
        Reply badMethod = client.registerAgent(
                Map.of("scopes", List.of("read"), "token_endpoint_auth_method", "private_key_jwt"));
        assertError(badMethod, 400, "invalid_client_metadata");
        Reply notAList =
                client.registerAgent(Map.of("scopes", List.of("read"), "redirect_uris", "https://agent.example/cb"));
        assertEquals(400, notAList.status(), notAList::toString);
    }

    private JsonNode adminClient(String clientId) {
        Reply reply = client.get(
                URI.create(client.adminUri(REALM, "/clients") + "?clientId=" + clientId), bearer(client.rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        JsonNode rep = reply.json().get(0);
        assertNotNull(rep, "client " + clientId + " exists");
        return rep;
    }

    static List<String> strings(JsonNode array) {
        return ProxymeClient.JSON.convertValue(
                array, ProxymeClient.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
