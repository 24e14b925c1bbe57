package dev.proxyme.delegation;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.OAuthAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A misbehaving agent cannot fill the database or the cluster's single-use store: per node and minute, at most 120
 * tokens under one delegation and 60 delegation requests per agent (the defaults of the SPI options). The windows are
 * calendar minutes: a run that crosses one sees up to twice the limit pass before the first refusal, never more.
 */
@ExtendWith(KeycloakServerExtension.class)
class LimitsIT {

    private static final int TOKENS_PER_MINUTE = 120;
    private static final int REQUESTS_PER_MINUTE = 60;

    private final ProxymeClient client;

    LimitsIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void renewalsUnderOneDelegationAreLimited() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        String delegationId = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), null)
                .text("delegation_id");
        // The backend's first token under the delegation counts too.
        Reply refused = untilRefused(
                TOKENS_PER_MINUTE - 1,
                () -> client.proxyme("delegate", agent.basicAuth(), Map.of("delegation_id", delegationId)));
        assertTrue(
                client.delegateAsBackend("bob", agent.clientId(), List.of("read"), null)
                                .status()
                        == 200,
                "another delegation of the same agent is not limited");
        assertTrue(
                refused.headers()
                        .firstValue("Retry-After")
                        .map(Long::parseLong)
                        .filter(s -> s >= 1 && s <= 60)
                        .isPresent(),
                refused::toString);
    }

    @Test
    void delegationRequestsOfOneAgentAreLimited() {
        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply refused = untilRefused(
                REQUESTS_PER_MINUTE,
                () -> client.proxyme(
                        "request_delegation",
                        agent.basicAuth(),
                        Map.of("scopes", List.of("read"), "purpose", "Fill the store")));
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused::toString);
        RegisteredAgent other = client.registerAgent(List.of("read"), List.of("portal-a"));
        assertEquals(
                200,
                client.proxyme(
                                "request_delegation",
                                other.basicAuth(),
                                Map.of("scopes", List.of("read"), "purpose", "Another agent"))
                        .status(),
                "another agent is not limited");
    }

    /** Sends until the first refusal: 429 slow_down after at least {@code limit} and at most twice that many answers. */
    private static Reply untilRefused(int limit, Supplier<Reply> send) {
        for (int sent = 0; sent <= 2 * limit; sent++) {
            Reply reply = send.get();
            if (reply.status() != 200) {
                assertError(reply, 429, "slow_down");
                assertTrue(sent >= limit, "refused after only " + sent + ": " + reply);
                return reply;
            }
        }
        throw new AssertionError("no refusal after " + (2 * limit + 1) + " in at most two windows");
    }
}
