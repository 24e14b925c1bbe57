package dev.proxyme.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Proxyme's meters, on Micrometer's global registry: the one Keycloak's {@code /metrics} endpoint (management port,
 * {@code --metrics-enabled=true}) publishes, next to Keycloak's own. Without metrics enabled the registry keeps
 * nothing. Tags are few and bounded: the realm, a token's flow, a check's decision and its OAuth error code. Each
 * counter is looked up by its tags in maps of their own (no key built per call) and then only incremented: the proxy
 * check calls this per request.
 */
public final class ProxymeMetrics {

    static final String TOKENS = "proxyme.tokens.issued";
    static final String CHECKS = "proxyme.proxy.checks";
    static final String BUDGETS = "proxyme.envelope.budget.exhausted";
    static final String ACTIVITY = "proxyme.activity.entries";
    static final String ACTIVE = "proxyme.delegations.active";

    private static final String NO_REASON = "none";

    /** Counters by realm, then by the second tag (a token's flow; a check's reason, "none" when allowed). */
    private static final Map<String, Map<String, Counter>> TOKENS_BY_REALM = new ConcurrentHashMap<>();

    private static final Map<String, Map<String, Counter>> ALLOWED_BY_REALM = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Counter>> REFUSED_BY_REALM = new ConcurrentHashMap<>();
    private static final Map<String, Counter> BUDGETS_BY_REALM = new ConcurrentHashMap<>();
    private static final Map<String, Counter> ACTIVITY_BY_OUTCOME = new ConcurrentHashMap<>();

    /** Off: Proxyme counts nothing, whatever Keycloak's metrics are (SPI option {@code metrics}). */
    private static volatile boolean enabled = true;

    private ProxymeMetrics() {}

    public static void enable(boolean on) {
        enabled = on;
    }

    /** A delegation token issued: {@code flow} is how its delegation was approved (Proxyme's own, or the agent's flow). */
    public static void tokenIssued(String realm, String flow) {
        if (!enabled) {
            return;
        }
        Counter counter = found(TOKENS_BY_REALM, realm, flow);
        if (counter == null) {
            counter = added(
                    TOKENS_BY_REALM,
                    realm,
                    flow,
                    Counter.builder(TOKENS)
                            .description("Delegation tokens issued")
                            .tag("realm", realm)
                            .tag("flow", flow));
        }
        counter.increment();
    }

    /** A proxy check decided: allowed, or refused with its OAuth error ({@code insufficient_scope}, ...). */
    public static void proxyCheck(String realm, boolean allowed, String error) {
        if (!enabled) {
            return;
        }
        String reason = allowed || error == null ? NO_REASON : error;
        Map<String, Map<String, Counter>> byRealm = allowed ? ALLOWED_BY_REALM : REFUSED_BY_REALM;
        Counter counter = found(byRealm, realm, reason);
        if (counter == null) {
            counter = added(
                    byRealm,
                    realm,
                    reason,
                    Counter.builder(CHECKS)
                            .description("Proxy checks by decision and refusal reason")
                            .tag("realm", realm)
                            .tag("decision", allowed ? "allowed" : "refused")
                            .tag("reason", reason));
        }
        counter.increment();
    }

    /** A call refused because its delegation's envelope budget is used up. */
    public static void budgetExhausted(String realm) {
        if (!enabled) {
            return;
        }
        BUDGETS_BY_REALM
                .computeIfAbsent(
                        realm,
                        key -> Counter.builder(BUDGETS)
                                .description("Proxy checks refused because the envelope's call budget was used up")
                                .tag("realm", realm)
                                .register(registry()))
                .increment();
    }

    /** Activity log entries: {@code queued} by checks, {@code written} to the database, {@code dropped}. */
    public static void activity(String outcome, long entries) {
        if (!enabled) {
            return;
        }
        Counter counter = ACTIVITY_BY_OUTCOME.get(outcome);
        if (counter == null) {
            counter = ACTIVITY_BY_OUTCOME.computeIfAbsent(
                    outcome,
                    key -> Counter.builder(ACTIVITY)
                            .description("Activity log entries queued, written and dropped on this node")
                            .tag("outcome", outcome)
                            .register(registry()));
        }
        counter.increment(entries);
    }

    /** The active delegations of all realms, read when the endpoint is scraped; registered once per server. */
    public static void activeDelegations(Supplier<Number> count) {
        Gauge.builder(ACTIVE, count)
                .description("Active delegations, all realms (read from the database at each scrape)")
                .strongReference(true)
                .register(registry());
    }

    /** The counter of these tags if there is one: the path every call after the first takes, allocating nothing. */
    private static Counter found(Map<String, Map<String, Counter>> counters, String first, String second) {
        Map<String, Counter> ofFirst = counters.get(first);
        return ofFirst == null ? null : ofFirst.get(second);
    }

    private static Counter added(
            Map<String, Map<String, Counter>> counters, String first, String second, Counter.Builder builder) {
        return counters.computeIfAbsent(first, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(second, key -> builder.register(registry()));
    }

    private static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }
}
