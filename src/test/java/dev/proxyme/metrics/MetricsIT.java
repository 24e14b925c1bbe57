package dev.proxyme.metrics;

import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proxyme's meters on Keycloak's own {@code /metrics} (management interface, {@code --metrics-enabled=true}), scraped
 * as Prometheus does: each counter moves by what the test did, and the gauge of active delegations follows.
 */
@ExtendWith(KeycloakServerExtension.class)
class MetricsIT {

    private final KeycloakServer server;
    private final ProxymeClient client;

    MetricsIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    void tokensChecksAndActiveDelegationsAreCountedOnKeycloaksMetricsEndpoint() {
        String tokens = "proxyme_tokens_issued_total{flow=\"proxyme\",realm=\"" + REALM + "\"}";
        String allowed = "proxyme_proxy_checks_total{decision=\"allowed\",realm=\"" + REALM + "\",reason=\"none\"}";
        String refused =
                "proxyme_proxy_checks_total{decision=\"refused\",realm=\"" + REALM + "\",reason=\"invalid_token\"}";
        String active = "proxyme_delegations_active";
        String before = scrape();

        RegisteredAgent agent = client.registerAgent(List.of("read"), List.of("portal-a"));
        Reply granted = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a");
        String token = granted.text("delegation_token");
        assertEquals(200, client.proxyCheck(token).status());
        assertEquals(200, client.proxyCheck(token).status());
        assertEquals(401, client.proxyCheckPresenting("DPoP " + token).status());
        String during = scrape();

        assertEquals(value(before, tokens) + 1, value(during, tokens), tokens);
        assertEquals(value(before, allowed) + 2, value(during, allowed), allowed);
        assertEquals(value(before, refused) + 1, value(during, refused), refused);
        assertTrue(value(during, active) >= 1, during);

        assertEquals(
                200,
                client.revokeById(ProxymeClient.BACKEND, granted.text("delegation_id"))
                        .status());
        double after = value(scrape(), active);
        assertTrue(after <= value(during, active) - 1, () -> "the gauge reads the database at the scrape: " + after);
    }

    private String scrape() {
        Reply metrics =
                client.request(URI.create(server.managementUri() + "/metrics"), "GET", null, null, java.util.Map.of());
        assertEquals(200, metrics.status(), metrics::toString);
        return metrics.body();
    }

    /** A sample's value, 0 when the series is not there yet (a counter appears at its first increment). */
    private static double value(String exposition, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(exposition);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
