package dev.proxyme.hostile;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every endpoint against every kind of caller, with the expected answer of each cell stated below. Callers present the
 * credential they would naturally have: users and administrators a bearer token, clients their client secret.
 */
@ExtendWith(KeycloakServerExtension.class)
class AuthorizationMatrixIT {

    private static final List<String> CALLERS = List.of(
            "anonymous",
            "user A",
            "user B",
            "agent X",
            "agent Y",
            "portal",
            "trusted backend",
            "realm admin",
            "admin of another realm");

    /** Expected status per endpoint, in the order of {@link #CALLERS}. */
    private static final Map<String, int[]> EXPECTED = new LinkedHashMap<>();

    static {
        //                                                anon userA userB agentX agentY portal backend admin other
        EXPECTED.put("register_agent", new int[] {401, 403, 403, 401, 401, 401, 401, 201, 401});
        EXPECTED.put("delegate for user A", new int[] {401, 401, 401, 200, 403, 403, 200, 401, 401});
        EXPECTED.put("validate_delegation", new int[] {401, 401, 401, 200, 200, 200, 200, 401, 401});
        EXPECTED.put("revoke_delegation by id", new int[] {401, 403, 403, 200, 403, 403, 200, 200, 401});
        EXPECTED.put("request_delegation", new int[] {401, 401, 401, 200, 200, 403, 403, 401, 401});
        EXPECTED.put("my/delegations", new int[] {401, 200, 200, 401, 401, 401, 401, 200, 401});
        EXPECTED.put("admin: list delegations", new int[] {401, 403, 403, 401, 401, 401, 401, 200, 403});
        EXPECTED.put("admin: agent kill switch", new int[] {401, 403, 403, 401, 401, 401, 401, 200, 403});
    }

    private final ProxymeClient client;

    AuthorizationMatrixIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void noCallerGetsMoreThanTheTableSays() {
        RegisteredAgent agentX = client.registerAgent(List.of("read"), List.of("portal-a"));
        RegisteredAgent agentY = client.registerAgent(List.of("read"), List.of("portal-a"));
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("anonymous", null);
        credentials.put("user A", bearer(client.userToken("alice", "alice-password")));
        credentials.put("user B", bearer(client.userToken("bob", "bob-password")));
        credentials.put("agent X", agentX.basicAuth());
        credentials.put("agent Y", agentY.basicAuth());
        credentials.put("portal", basic("portal-a", "portal-a-secret"));
        credentials.put("trusted backend", BACKEND);
        credentials.put("realm admin", bearer(client.rootToken()));
        credentials.put(
                "admin of another realm",
                bearer(client.userToken(ProxymeClient.DEMO_REALM, "realm-admin", "realm-admin")));

        Map<String, BiFunction<String, String, Reply>> endpoints = new LinkedHashMap<>();
        endpoints.put(
                "register_agent",
                (caller, auth) -> client.proxyme("register_agent", auth, Map.of("scopes", List.of("read"))));
        endpoints.put(
                "delegate for user A",
                (caller, auth) -> client.proxyme(
                        "delegate",
                        auth,
                        Map.of(
                                "username",
                                "alice",
                                "agent_id",
                                agentX.clientId(),
                                "scopes",
                                List.of("read"),
                                "portal",
                                "portal-a")));
        endpoints.put(
                "validate_delegation",
                (caller, auth) -> client.proxyme(
                        "validate_delegation",
                        auth,
                        Map.of("delegation_token", newDelegation(agentX).text("delegation_token"))));
        endpoints.put(
                "revoke_delegation by id",
                (caller, auth) -> client.proxyme(
                        "revoke_delegation",
                        auth,
                        Map.of("delegation_id", newDelegation(agentX).text("delegation_id"))));
        endpoints.put(
                "request_delegation",
                (caller, auth) -> client.proxyme(
                        "request_delegation",
                        auth,
                        Map.of("scopes", List.of("read"), "portal", "portal-a", "purpose", "Matrix")));
        endpoints.put("my/delegations", (caller, auth) -> client.get(client.proxymeUri(REALM, "my/delegations"), auth));
        endpoints.put(
                "admin: list delegations",
                (caller, auth) -> client.get(client.adminUri(REALM, "/proxyme/delegations"), auth));
        endpoints.put(
                "admin: agent kill switch",
                (caller, auth) -> client.send(
                        URI.create(client.adminUri(REALM, "/proxyme/agents/") + agentY.clientId() + "/revoke"),
                        "POST",
                        null,
                        null,
                        auth));

        // The agent X row delegates for alice: a trusted backend set up the delegation it renews under.
        newDelegation(agentX);
        List<String> unexpected = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        endpoints.forEach((endpoint, call) -> {
            int[] expected = EXPECTED.get(endpoint);
            table.append(String.format("%-26s", endpoint));
            for (int i = 0; i < CALLERS.size(); i++) {
                String caller = CALLERS.get(i);
                int status = call.apply(caller, credentials.get(caller)).status();
                table.append(String.format(" %4d", status));
                if (status != expected[i]) {
                    unexpected.add(endpoint + " as " + caller + ": expected " + expected[i] + ", got " + status);
                }
            }
            table.append('\n');
        });
        long unexpectedSuccesses = unexpected.stream()
                .filter(line -> line.matches(".*got 2\\d\\d$"))
                .count();
        assertEquals(0, unexpectedSuccesses, "unexpected successes:\n" + String.join("\n", unexpected) + "\n" + table);
        assertEquals(List.of(), unexpected, "answers that differ from the table:\n" + table);
    }

    private Reply newDelegation(RegisteredAgent agent) {
        Reply reply = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        assertEquals(200, reply.status(), reply::toString);
        return reply;
    }
}
