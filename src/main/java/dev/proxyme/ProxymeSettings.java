package dev.proxyme;

import org.keycloak.Config;

/**
 * Server-wide limits, set as Keycloak SPI options of Proxyme's realm resource provider, e.g.
 * {@code --spi-realm-restapi-extension--proxyme--max-delegation-seconds=43200} (or
 * {@code KC_SPI_REALM_RESTAPI_EXTENSION__PROXYME__MAX_DELEGATION_SECONDS}).
 *
 * @param maxTokensPerDelegationPerMinute tokens one node mints under one delegation per minute, at most
 * @param maxRequestsPerAgentPerMinute    delegation requests one node accepts from one agent per minute, at most
 * @param activityRetentionDays           days the activity log keeps what agents did through the proxy
 */
public record ProxymeSettings(
        long minDelegationSeconds,
        long defaultDelegationSeconds,
        long maxDelegationSeconds,
        int minTokenLifetimeSeconds,
        int maxTokenLifetimeSeconds,
        int auditRetentionDays,
        int expiryIntervalSeconds,
        int maxTokensPerDelegationPerMinute,
        int maxRequestsPerAgentPerMinute,
        int activityRetentionDays) {

    public static final ProxymeSettings DEFAULTS =
            new ProxymeSettings(60, 3600, 24 * 3600, 60, 600, 90, 60, 120, 60, 30);

    private static volatile ProxymeSettings current = DEFAULTS;

    public static ProxymeSettings current() {
        return current;
    }

    /** Reads the options once, at server start; out-of-range values fall back to safe ones. */
    public static void configure(Config.Scope config) {
        long min = Math.max(1, config.getLong("min-delegation-seconds", DEFAULTS.minDelegationSeconds()));
        long max = Math.max(min, config.getLong("max-delegation-seconds", DEFAULTS.maxDelegationSeconds()));
        long byDefault = Math.min(
                max, Math.max(min, config.getLong("default-delegation-seconds", DEFAULTS.defaultDelegationSeconds())));
        int minToken = Math.max(30, config.getInt("min-token-lifetime-seconds", DEFAULTS.minTokenLifetimeSeconds()));
        int maxToken =
                Math.max(minToken, config.getInt("max-token-lifetime-seconds", DEFAULTS.maxTokenLifetimeSeconds()));
        current = new ProxymeSettings(
                min,
                byDefault,
                max,
                minToken,
                maxToken,
                Math.max(1, config.getInt("audit-retention-days", DEFAULTS.auditRetentionDays())),
                Math.max(1, config.getInt("expiry-interval-seconds", DEFAULTS.expiryIntervalSeconds())),
                Math.max(
                        1,
                        config.getInt(
                                "max-tokens-per-delegation-per-minute", DEFAULTS.maxTokensPerDelegationPerMinute())),
                Math.max(
                        1, config.getInt("max-requests-per-agent-per-minute", DEFAULTS.maxRequestsPerAgentPerMinute())),
                Math.max(1, config.getInt("activity-retention-days", DEFAULTS.activityRetentionDays())));
    }
}
