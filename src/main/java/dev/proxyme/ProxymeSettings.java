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

    /** Where the options live: the scope of Proxyme's realm resource provider (its factory owns them, see ProxymeNode). */
    public static Config.Scope scope() {
        return Config.scope("realm-restapi-extension", Proxyme.PROVIDER_ID);
    }

    /**
     * The delegation length for a request: its own, within the bounds, or the default when it names none.
     *
     * @throws ProxymeException {@code invalid_request} for a length outside the bounds
     */
    public long delegationSeconds(Long requested) {
        if (requested == null) {
            return defaultDelegationSeconds;
        }
        if (requested < minDelegationSeconds || requested > maxDelegationSeconds) {
            throw ProxymeException.badRequest(
                    org.keycloak.OAuthErrorException.INVALID_REQUEST,
                    "'expires_in' must be between " + minDelegationSeconds + " and " + maxDelegationSeconds
                            + " seconds");
        }
        return requested;
    }

    /** A token's {@code exp}: its own, at most the longest lifetime from {@code iat}, and never past {@code lastSecond}. */
    public long boundedExp(long iat, Long exp, long lastSecond) {
        long longest = iat + maxTokenLifetimeSeconds;
        return Math.min(Math.min(exp == null || exp <= 0 ? longest : exp, longest), lastSecond);
    }

    /** Reads the options once, at server start; out-of-range values fall back to safe ones. */
    public static ProxymeSettings read(Config.Scope config) {
        long min = Math.max(1, config.getLong("min-delegation-seconds", DEFAULTS.minDelegationSeconds()));
        long max = Math.max(min, config.getLong("max-delegation-seconds", DEFAULTS.maxDelegationSeconds()));
        long byDefault = Math.min(
                max, Math.max(min, config.getLong("default-delegation-seconds", DEFAULTS.defaultDelegationSeconds())));
        int minToken = Math.max(30, config.getInt("min-token-lifetime-seconds", DEFAULTS.minTokenLifetimeSeconds()));
        int maxToken =
                Math.max(minToken, config.getInt("max-token-lifetime-seconds", DEFAULTS.maxTokenLifetimeSeconds()));
        return new ProxymeSettings(
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
