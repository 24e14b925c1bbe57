package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Speaks HTTP to the test server: Proxyme's API, Keycloak's token, introspection and admin endpoints. */
public final class ProxymeClient {

    public static final String REALM = "proxyme-it";
    public static final String DEMO_REALM = "proxyme-demo";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final HttpClient http;
    /** The realm the operations without a realm argument speak to. */
    private final String realm;

    public ProxymeClient(KeycloakServer server) {
        this(server, (InetAddress) null);
    }

    private ProxymeClient(KeycloakServer server, HttpClient http, String realm) {
        this.server = server;
        this.http = http;
        this.realm = realm;
    }

    /** The same client, speaking to another realm (a test class's own: see {@link TestRealm}). */
    public ProxymeClient inRealm(String realmName) {
        return new ProxymeClient(server, http, realmName);
    }

    public String realm() {
        return realm;
    }

    /**
     * A client whose connections leave from another loopback address (127.0.0.2, ...), so that the server sees a
     * different source address: for per-address limits, without tripping them for every other test.
     */
    public ProxymeClient(KeycloakServer server, InetAddress localAddress) {
        this.server = server;
        // HTTP/1.1: over plain http the JDK would otherwise try an h2c upgrade, which no browser or agent does.
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (localAddress != null) {
            builder.localAddress(localAddress);
        }
        this.http = builder.build();
        this.realm = REALM;
    }

    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("Not JSON (status " + status + "): " + body, e);
            }
        }

        public String text(String field) {
            JsonNode value = json().get(field);
            return value == null || value.isNull() ? null : value.asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public static String basic(String clientId, String secret) {
        return "Basic "
                + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public URI proxymeUri(String realm, String operation) {
        return URI.create(server.realmUrl(realm) + "/proxyme/" + operation);
    }

    /** POSTs JSON to {@code /realms/{realm}/proxyme/{operation}}. */
    public Reply proxyme(String realm, String operation, String authorization, Object body) {
        return send(
                proxymeUri(realm, operation),
                "POST",
                "application/json",
                body instanceof String raw ? raw : json(body),
                authorization);
    }

    public Reply proxyme(String operation, String authorization, Object body) {
        return proxyme(realm, operation, authorization, body);
    }

    public Reply send(URI uri, String method, String contentType, String body, String... authorizations) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (String authorization : authorizations) {
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
        }
        request.header("Accept", "application/json");
        return send(request.build());
    }

    /** A request with exactly these headers, for what a browser would send (cookies, Origin). */
    public Reply request(URI uri, String method, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A request whose headers may repeat a name, as a confused or hostile proxy could send them. */
    public Reply requestWithHeaders(URI uri, String method, List<Map.Entry<String, String>> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(header -> request.header(header.getKey(), header.getValue()));
        return send(request.build());
    }

    public Reply get(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    public Reply form(URI uri, Map<String, String> fields, String authorization) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(uri, "POST", "application/x-www-form-urlencoded", body, authorization);
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A public client's refresh at this client's realm's token endpoint (RFC 6749 section 6). */
    public Reply refreshAsPublicClient(String clientId, String refreshToken) {
        return form(
                tokenEndpoint(realm),
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId),
                null);
    }

    public URI tokenEndpoint(String realm) {
        return URI.create(server.realmUrl(realm) + "/protocol/openid-connect/token");
    }

    /** A user's access token from the realm's admin-cli client (password grant), as an admin script would get one. */
    public String userToken(String realm, String username, String password) {
        return userToken(realm, "admin-cli", username, password);
    }

    /** A user's access token from a public client of the realm that allows the password grant. */
    public String userToken(String realm, String clientId, String username, String password) {
        Reply reply = form(
                tokenEndpoint(realm),
                Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password),
                null);
        assertEquals(200, reply.status(), () -> "password grant for " + username + " at " + clientId + ": " + reply);
        return reply.text("access_token");
    }

    public String userToken(String username, String password) {
        return userToken(realm, username, password);
    }

    public String rootToken() {
        return userToken("root", "root-password");
    }

    public Reply clientCredentials(String realm, String clientId, String secret) {
        return form(tokenEndpoint(realm), Map.of("grant_type", "client_credentials"), basic(clientId, secret));
    }

    /** RFC 7662 introspection at Keycloak's standard endpoint, authenticated as the given (portal) client. */
    public JsonNode introspect(String realm, String token, String clientId, String secret) {
        Reply reply = form(
                URI.create(server.realmUrl(realm) + "/protocol/openid-connect/token/introspect"),
                Map.of("token", token),
                basic(clientId, secret));
        assertEquals(200, reply.status(), () -> "introspection: " + reply);
        return reply.json();
    }

    public JsonNode introspect(String token, String clientId, String secret) {
        return introspect(realm, token, clientId, secret);
    }

    public URI adminUri(String realm, String path) {
        return URI.create(server.baseUri() + "/admin/realms/" + realm + path);
    }

    /** Registers an agent through Proxyme as the realm administrator; returns its client id and secret. */
    public RegisteredAgent registerAgent(List<String> scopes, List<String> portals) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Test agent");
        body.put("scopes", scopes);
        if (portals != null) {
            body.put("portals", portals);
        }
        Reply reply = proxyme("register_agent", bearer(rootToken()), body);
        assertEquals(201, reply.status(), () -> "register_agent: " + reply);
        return new RegisteredAgent(reply.text("client_id"), reply.text("client_secret"));
    }

    /** Registers an agent with any of register_agent's fields (RFC 7591 names included); the reply as it came. */
    public Reply registerAgent(Map<String, Object> body) {
        return proxyme("register_agent", bearer(rootToken()), body);
    }

    /** The claims of a JWT, unverified: what the tests read of tokens they were just given. */
    public static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realm's issuer, as its discovery document and every token name it. */
    public String issuer(String realm) {
        return server.realmUrl(realm);
    }

    /** The user's delegations as their own page's API lists them (a password-grant token of the user). */
    public JsonNode myDelegations(String username, String password) {
        Reply reply = get(proxymeUri(realm, "my/delegations"), bearer(userToken(username, password)));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    public record RegisteredAgent(String clientId, String secret) {
        public String basicAuth() {
            return basic(clientId, secret);
        }
    }

    public static final String BACKEND = basic("backend", "backend-secret");

    /** The trusted backend vouches for the user: a delegation and its first token. */
    public Reply delegateAsBackend(String username, String agentClientId, List<String> scopes, String portal) {
        return delegateAsBackend(username, agentClientId, scopes, portal, null);
    }

    /** The same with a task envelope ({@code budget}, {@code routes}, ...). */
    public Reply delegateAsBackend(
            String username, String agentClientId, List<String> scopes, String portal, Map<String, Object> envelope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("agent_id", agentClientId);
        body.put("scopes", scopes);
        if (portal != null) {
            body.put("portal", portal);
        }
        if (envelope != null) {
            body.put("envelope", envelope);
        }
        return proxyme("delegate", BACKEND, body);
    }

    /** The agent's poll for the outcome of a delegation request (RFC 8628 style). */
    public Reply poll(String agentAuthorization, String requestId) {
        return proxyme("delegate", agentAuthorization, Map.of("request_id", requestId));
    }

    /**
     * Polls at the protocol's interval until the outcome of the request shows (anything but
     * {@code authorization_pending} and {@code slow_down}), within 30 seconds.
     */
    public Reply pollUntilDecided(String agentAuthorization, String requestId) {
        return Eventually.await(
                () -> poll(agentAuthorization, requestId),
                reply -> !isPending(reply),
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(30),
                "the outcome of request " + requestId);
    }

    /** Whether a poll's answer says the user has not decided yet, or to poll more slowly. */
    public static boolean isPending(Reply reply) {
        String error = reply.status() == 400 ? reply.text("error") : null;
        return "authorization_pending".equals(error) || "slow_down".equals(error);
    }

    public Reply revokeById(String authorization, String delegationId) {
        return proxyme("revoke_delegation", authorization, Map.of("delegation_id", delegationId));
    }

    /** The user's Keycloak id, looked up through the admin API. */
    public String userId(String username) {
        Reply reply =
                get(URI.create(adminUri(realm, "/users") + "?exact=true&username=" + username), bearer(rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().get(0).get("id").asText();
    }

    /** Whether standard introspection by the portal (client secret {@code <portal>-secret}) calls the token active. */
    public boolean isActive(String token, String portal) {
        return introspect(token, portal, portal + "-secret").get("active").asBoolean();
    }

    public boolean isActive(String token) {
        return isActive(token, "portal-a");
    }

    /** A delegation with its audit trail, through the admin API. */
    public JsonNode trail(String delegationId) {
        Reply reply = get(adminUri(realm, "/proxyme/delegations/" + delegationId), bearer(rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    /** A new user of the test realm; returns its id. */
    public String createUser(boolean withEmail) {
        String username = "user-" + System.nanoTime();
        String body = withEmail
                ? "{\"username\":\"" + username + "\",\"enabled\":true,\"email\":\"" + username + "@example.org\","
                        + "\"firstName\":\"Test\",\"lastName\":\"User\"}"
                : "{\"username\":\"" + username + "\",\"enabled\":true}";
        Reply reply = send(adminUri(realm, "/users"), "POST", "application/json", body, bearer(rootToken()));
        assertEquals(201, reply.status(), reply::toString);
        String location = reply.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** A user's representation for the admin API: enabled, a verified email, a name, and this password. */
    public static String newUser(String username, String password) {
        return json(Map.of(
                "username",
                username,
                "enabled",
                true,
                "email",
                username + "@example.org",
                "emailVerified",
                true,
                "firstName",
                "Test",
                "lastName",
                "User",
                "credentials",
                List.of(Map.of("type", "password", "value", password, "temporary", false))));
    }

    /** A new user of the test realm who logs in with this password; returns its id. */
    public String createUserWithPassword(String username, String password) {
        Reply reply = send(
                adminUri(realm, "/users"),
                "POST",
                "application/json",
                newUser(username, password),
                bearer(rootToken()));
        assertEquals(201, reply.status(), reply::toString);
        String location = reply.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** A required action of the test realm, as the admin API shows it (alias, priority, enabled, ...). */
    public JsonNode requiredAction(String alias) {
        Reply reply = get(adminUri(realm, "/authentication/required-actions/" + alias), bearer(rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    /** Moves a required action of the test realm: Keycloak runs the pending ones in ascending priority. */
    public void setRequiredActionPriority(String alias, int priority) {
        ObjectNode action = (ObjectNode) requiredAction(alias);
        action.put("priority", priority);
        Reply reply = send(
                adminUri(realm, "/authentication/required-actions/" + alias),
                "PUT",
                "application/json",
                action.toString(),
                bearer(rootToken()));
        assertEquals(204, reply.status(), reply::toString);
    }

    public void setUserRequiredActions(String userId, List<String> aliases) {
        Reply reply = send(
                adminUri(realm, "/users/" + userId),
                "PUT",
                "application/json",
                json(Map.of("requiredActions", aliases)),
                bearer(rootToken()));
        assertEquals(204, reply.status(), reply::toString);
    }

    /** The user's Keycloak login sessions, through the admin API. */
    public JsonNode userSessions(String userId) {
        Reply reply = get(adminUri(realm, "/users/" + userId + "/sessions"), bearer(rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    /** The types of the user's credentials ({@code password}, {@code otp}, ...). */
    public List<String> credentialTypes(String userId) {
        Reply reply = get(adminUri(realm, "/users/" + userId + "/credentials"), bearer(rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().findValuesAsText("type");
    }

    /** The realm's client of exactly this client id, as the admin API represents it (Keycloak's search may match more). */
    public java.util.Optional<JsonNode> findClient(String clientId) {
        JsonNode found = get(
                        URI.create(adminUri(realm, "/clients") + "?clientId="
                                + java.net.URLEncoder.encode(clientId, java.nio.charset.StandardCharsets.UTF_8)),
                        bearer(rootToken()))
                .json();
        for (JsonNode candidate : found) {
            if (clientId.equals(candidate.path("clientId").asText())) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** The names of a client's optional client scopes. */
    public List<String> optionalClientScopes(String clientId) {
        String id = findClient(clientId).orElseThrow().get("id").asText();
        List<String> names = new java.util.ArrayList<>();
        get(adminUri(realm, "/clients/" + id + "/optional-client-scopes"), bearer(rootToken()))
                .json()
                .forEach(scope -> names.add(scope.get("name").asText()));
        return names;
    }

    public String clientUuid(String clientId) {
        return get(URI.create(adminUri(realm, "/clients") + "?clientId=" + clientId), bearer(rootToken()))
                .json()
                .get(0)
                .get("id")
                .asText();
    }

    /**
     * What Keycloak's own token endpoint answers to this form body. Keycloak parses form bodies before any endpoint or
     * extension runs, so a body it cannot decode gets the same answer everywhere: the tests hold Proxyme to it.
     */
    public Reply keycloakTokenEndpointAnswer(String formBody) {
        return send(tokenEndpoint(realm), "POST", "application/x-www-form-urlencoded", formBody);
    }

    /**
     * Proxyme's proxy check as the shipped proxy configs ask it: authenticated as portal-a, {@code GET /}, the token as
     * bearer.
     */
    public Reply proxyCheck(String token) {
        return proxyCheckPresenting(bearer(token));
    }

    /** The same check with the {@code Authorization} header as given: {@code DPoP <token>}, say. */
    public Reply proxyCheckPresenting(String authorization) {
        return request(
                proxymeUri(realm, "proxy/check"),
                "GET",
                null,
                null,
                proxyHeaders(
                        "portal-a",
                        Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/", "Authorization", authorization)));
    }

    /** What a shipped proxy config sends to the check: the portal it fronts and that portal's secret, and more. */
    public static Map<String, String> proxyHeaders(String portal, Map<String, String> more) {
        Map<String, String> headers = new LinkedHashMap<>(more);
        headers.put("X-Proxyme-Portal", portal);
        headers.put("X-Proxyme-Portal-Secret", portal + "-secret");
        return headers;
    }

    /** A portal of the test realm of a test class's own: a confidential client with secret {@code <clientId>-secret}. */
    public void createPortal(String clientId, String name, String resource) {
        Reply created = send(
                adminUri(realm, "/clients"),
                "POST",
                "application/json",
                json(Map.of(
                        "clientId",
                        clientId,
                        "name",
                        name,
                        "secret",
                        clientId + "-secret",
                        "publicClient",
                        false,
                        "standardFlowEnabled",
                        false,
                        "serviceAccountsEnabled",
                        false,
                        "attributes",
                        Map.of("proxyme.portal", "true", "proxyme.resource", resource))),
                bearer(rootToken()));
        assertEquals(201, created.status(), created::toString);
    }

    /** Deletes a client of the test realm that a test class made. */
    public void deleteClient(String clientId) {
        Reply deleted =
                send(adminUri(realm, "/clients/" + clientUuid(clientId)), "DELETE", null, null, bearer(rootToken()));
        assertEquals(204, deleted.status(), deleted::toString);
    }

    /** Sets a portal's route rules ({@code proxyme.routes}); null removes them. */
    public void setPortalRoutes(String portalClientId, String rules) {
        setClientAttribute(portalClientId, "proxyme.routes", rules == null ? "" : rules);
    }

    /** Sets one attribute of a client of the test realm through the Admin REST API. */
    public void setClientAttribute(String clientId, String name, String value) {
        Reply found = get(URI.create(adminUri(realm, "/clients") + "?clientId=" + clientId), bearer(rootToken()));
        ObjectNode rep = (ObjectNode) found.json().get(0);
        ((ObjectNode) rep.get("attributes")).put(name, value);
        Reply updated = send(
                adminUri(realm, "/clients/" + rep.get("id").asText()),
                "PUT",
                "application/json",
                rep.toString(),
                bearer(rootToken()));
        if (updated.status() != 204) {
            throw new IllegalStateException("Could not set " + name + " of " + clientId + ": " + updated);
        }
    }

    /** Enables or disables a user ({@code /users/<id>}) or client ({@code /clients/<uuid>}) through the admin API. */
    public void setEnabled(String adminPath, boolean enabled) {
        Reply reply = send(
                adminUri(realm, adminPath),
                "PUT",
                "application/json",
                "{\"enabled\":" + enabled + "}",
                bearer(rootToken()));
        assertEquals(204, reply.status(), reply::toString);
    }
}
