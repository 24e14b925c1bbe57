package dev.proxyme.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertOAuthError;
import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every operation, authenticated as a caller it accepts, against bodies that are not what it expects: each answer is
 * the expected 4xx with an OAuth error object, never a 5xx, never a stack trace.
 */
@ExtendWith(KeycloakServerExtension.class)
class BadInputIT {

    private static final String JSON = "application/json";

    /** The registration endpoint counts requests per address: each of its cases leaves from a loopback address of its own. */
    private static final java.util.concurrent.atomic.AtomicInteger REGISTRANTS =
            new java.util.concurrent.atomic.AtomicInteger();

    private final KeycloakServer server;
    private final ProxymeClient client;

    BadInputIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    record Case(String name, String contentType, String body, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> badRequests() {
        List<Case> common = List.of(
                new Case("malformed JSON", JSON, "{\"scopes\": [", 400),
                new Case("truncated JSON", JSON, "{\"delegation_id\": \"abc", 400),
                new Case("empty body", JSON, "", 400),
                new Case("whitespace body", JSON, "  \n ", 400),
                new Case("JSON array", JSON, "[]", 400),
                new Case("JSON null", JSON, "null", 400),
                new Case("JSON string", JSON, "\"read\"", 400),
                new Case("empty object", JSON, "{}", 400),
                new Case("duplicate keys", JSON, "{\"delegation_id\":\"a\",\"delegation_id\":\"b\"}", 400),
                new Case("nested 5000 deep", JSON, "[".repeat(5000) + "]".repeat(5000), 400),
                new Case("text/plain", "text/plain", "{}", 415),
                new Case("form encoded", "application/x-www-form-urlencoded", "delegation_id=x", 415),
                new Case("no content type", null, "{}", 415),
                new Case("oversized body", JSON, "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}", 413),
                new Case("1 MiB+ body", JSON, "{\"pad\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}", 413),
                new Case("raw NUL characters", JSON, "{\"delegation_id\":\"\u0000\u0000\"}", 400));
        List<Arguments> arguments = new ArrayList<>();
        for (String operation : List.of(
                "register_agent", "delegate", "validate_delegation", "revoke_delegation", "request_delegation")) {
            common.forEach(c -> arguments.add(Arguments.of(operation, c)));
        }
        for (String body : List.of(
                "{\"scopes\":\"read\"}",
                "{\"scopes\":[1,2]}",
                "{\"scopes\":[\"\"]}",
                "{\"scopes\":[null]}",
                "{\"scopes\":[\"read\"],\"portals\":\"portal-a\"}",
                "{\"scopes\":[\"read\"],\"token_lifetime_seconds\":\"300\"}",
                "{\"scopes\":[\"read\"],\"token_lifetime_seconds\":1e99}",
                "{\"scopes\":[\"read\"],\"token_lifetime_seconds\":300.5}",
                "{\"scopes\":[\"read\"],\"name\":42}",
                "{\"scopes\":[\"re\\u0000ad\"]}",
                "{\"scopes\":[\"r\u00e9ad\"]}")) {
            arguments.add(Arguments.of("register_agent", new Case(body, JSON, body, 400)));
        }
        for (String body : List.of(
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":\"read\"}",
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\"}",
                "{\"username\":\"alice\",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                "{\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                "{\"username\":\"alice\",\"user_id\":\"x\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                "{\"username\":[\"alice\"],\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                "{\"username\":\"alice\",\"agent_id\":7,\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":{}}",
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"expires_in\":\"60\"}",
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"expires_in\":4}",
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"expires_in\":86401}",
                "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"expires_in\":-1}")) {
            arguments.add(Arguments.of("delegate", new Case(body, JSON, body, 400)));
        }
        String loneSurrogateUser =
                "{\"username\":\"\\ud800\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}";
        arguments.add(Arguments.of("delegate", new Case(loneSurrogateUser, JSON, loneSurrogateUser, 404)));
        for (String body : List.of(
                "{\"delegation_token\":5}",
                "{\"delegation_token\":\"\"}",
                "{\"delegation_token\":null}",
                "{\"delegation_token\":[\"a\"]}")) {
            arguments.add(Arguments.of("validate_delegation", new Case(body, JSON, body, 400)));
        }
        for (String body : List.of(
                "{\"delegation_token\":5}",
                "{\"delegation_id\":true}",
                "{\"delegation_id\":\"\"}",
                "{\"delegation_token\":\"x\",\"delegation_id\":\"y\"}")) {
            arguments.add(Arguments.of("revoke_delegation", new Case(body, JSON, body, 400)));
        }
        // Identifiers far longer than any column: answered as unknown, and the refusal is still audited.
        String longId = "\"" + "z".repeat(300) + "\"";
        arguments.add(Arguments.of(
                "revoke_delegation",
                new Case("300-character delegation id", JSON, "{\"delegation_id\":" + longId + "}", 404)));
        arguments.add(Arguments.of(
                "delegate",
                new Case(
                        "300-character agent id",
                        JSON,
                        "{\"username\":\"alice\",\"agent_id\":" + longId
                                + ",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                        404)));
        arguments.add(Arguments.of(
                "delegate",
                new Case(
                        "300-character user id",
                        JSON,
                        "{\"user_id\":" + longId
                                + ",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                        404)));
        arguments.add(Arguments.of(
                "delegate",
                new Case(
                        "300-character portal",
                        JSON,
                        "{\"username\":\"alice\",\"agent_id\":\"fixed-agent\",\"scopes\":[\"read\"],\"portal\":"
                                + longId + "}",
                        400)));
        for (String body : List.of(
                "{\"scopes\":[\"read\"],\"portal\":\"portal-a\"}",
                "{\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"purpose\":42}",
                "{\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"purpose\":\"line\\nbreak\"}",
                "{\"scopes\":\"read\",\"portal\":\"portal-a\",\"purpose\":\"x\"}",
                "{\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"purpose\":\"x\",\"user\":[\"alice\"]}",
                "{\"scopes\":[\"read\"],\"portal\":\"portal-a\",\"purpose\":\"x\",\"expires_in\":4}")) {
            arguments.add(Arguments.of("request_delegation", new Case(body, JSON, body, 400)));
        }
        return arguments.stream();
    }

    /** The user's own JSON revocation; {@code {}} is left out: it rightly means "revoke all of mine". */
    static Stream<Case> badUserRevocations() {
        return badRequests()
                .map(arguments -> (Case) arguments.get()[1])
                .filter(c -> !c.body().equals("{}")
                        && c.name().length() < 40
                        && !c.name().startsWith("{")
                        && !c.name().startsWith("300-"))
                .distinct();
    }

    @ParameterizedTest(name = "my/delegations/revoke: {0}")
    @MethodSource("badUserRevocations")
    void theUsersOwnRevocationAnswersWithAnOAuthError(Case badRequest) {
        Reply reply = client.send(
                client.proxymeUri(REALM, "my/delegations/revoke"),
                "POST",
                badRequest.contentType(),
                badRequest.body(),
                bearer(client.userToken("bob", "bob-password")));
        assertEquals(badRequest.status(), reply.status(), reply::toString);
        assertOAuthError(reply);
    }

    /** The registration endpoint the metadata names: whatever a client sends, one OAuth refusal, never a 5xx. */
    @ParameterizedTest(name = "clients: {0}")
    @MethodSource("badRegistrations")
    void theRegistrationEndpointAnswersEveryBodyWithItsRefusal(Case badRequest) throws Exception {
        int n = REGISTRANTS.incrementAndGet();
        ProxymeClient registrant = new ProxymeClient(
                server, java.net.InetAddress.getByName("127.0." + (3 + n / 250) + "." + (1 + n % 250)));
        Reply reply = registrant.send(
                client.proxymeUri(REALM, "clients"), "POST", badRequest.contentType(), badRequest.body());
        assertEquals(badRequest.status(), reply.status(), reply::toString);
        assertOAuthError(reply);
        assertEquals("access_denied", reply.text("error"), reply::toString);
    }

    static Stream<Case> badRegistrations() {
        Stream<Case> metadata = Stream.of(
                        "{\"redirect_uris\":[\"javascript:alert(1)\"]}",
                        "{\"client_name\":\"\u202egoogle\",\"redirect_uris\":[\"http://127.0.0.1/cb\"]}",
                        "{\"token_endpoint_auth_method\":\"client_secret_basic\",\"redirect_uris\":[]}",
                        "{\"grant_types\":[\"client_credentials\"]}")
                .map(body -> new Case(body, JSON, body, 403));
        // Every malformed body, content type and size the JSON operations are tried with: here all are refused alike.
        Stream<Case> malformed = badRequests()
                .map(arguments -> (Case) arguments.get()[1])
                .distinct()
                .map(c -> new Case(c.name(), c.contentType(), c.body(), 403));
        return Stream.concat(metadata, malformed);
    }

    @ParameterizedTest(name = "{0} with two Authorization headers")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"register_agent", "delegate", "validate_delegation", "revoke_delegation", "request_delegation"})
    void twoCredentialsAreRefused(String operation) {
        Reply reply = client.send(
                client.proxymeUri(REALM, operation), "POST", JSON, "{}", BACKEND, bearer(client.rootToken()));
        assertEquals(400, reply.status(), reply::toString);
        assertOAuthError(reply);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badRequests")
    void isAnsweredWithAnOAuthError(String operation, Case badRequest) {
        String authorization = switch (operation) {
            case "register_agent" -> bearer(client.rootToken());
            case "validate_delegation" -> basic("portal-a", "portal-a-secret");
            case "request_delegation" -> basic("fixed-agent", "fixed-agent-secret");
            default -> BACKEND;
        };
        Reply reply = client.send(
                client.proxymeUri(REALM, operation),
                "POST",
                badRequest.contentType(),
                badRequest.body(),
                authorization);
        assertEquals(badRequest.status(), reply.status(), reply::toString);
        assertOAuthError(reply);
    }
}
