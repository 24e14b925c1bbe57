package dev.proxyme.metrics;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProxymeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void register() {
        Metrics.globalRegistry.add(registry);
    }

    @AfterEach
    void unregister() {
        ProxymeMetrics.enable(true);
        Metrics.globalRegistry.remove(registry);
    }

    @Test
    void checksAreCountedByRealmDecisionAndReasonOnly() {
        ProxymeMetrics.proxyCheck("unit-a", true, null);
        ProxymeMetrics.proxyCheck("unit-a", true, "ignored for an allowed check");
        ProxymeMetrics.proxyCheck("unit-a", false, "insufficient_scope");
        assertEquals(2, count("unit-a", "allowed", "none"));
        assertEquals(1, count("unit-a", "refused", "insufficient_scope"));
    }

    @Test
    void switchedOffNothingIsCounted() {
        ProxymeMetrics.enable(false);
        ProxymeMetrics.proxyCheck("unit-b", false, "invalid_token");
        ProxymeMetrics.tokenIssued("unit-b", "proxyme");
        assertNull(registry.find(ProxymeMetrics.CHECKS).tag("realm", "unit-b").counter());
        assertNull(registry.find(ProxymeMetrics.TOKENS).tag("realm", "unit-b").counter());
    }

    private double count(String realm, String decision, String reason) {
        return registry.get(ProxymeMetrics.CHECKS)
                .tag("realm", realm)
                .tag("decision", decision)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
