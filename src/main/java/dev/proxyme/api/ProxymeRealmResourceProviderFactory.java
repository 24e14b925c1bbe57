package dev.proxyme.api;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeNode;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.RateLimit;
import dev.proxyme.metrics.ProxymeMetrics;
import dev.proxyme.proxy.AssertionCache;

/**
 * Mounts Proxyme's API at {@code /realms/{realm}/proxyme}, and owns what this node holds for Proxyme: the options of
 * its SPI scope, read once at start, and the node's limits and caches, handed to each request's resources.
 */
public class ProxymeRealmResourceProviderFactory implements RealmResourceProviderFactory, ProxymeNode {

    private ProxymeSettings settings = ProxymeSettings.DEFAULTS;
    private RateLimit tokensPerDelegation = new RateLimit(ProxymeSettings.DEFAULTS.maxTokensPerDelegationPerMinute());
    private RateLimit requestsPerAgent = new RateLimit(ProxymeSettings.DEFAULTS.maxRequestsPerAgentPerMinute());
    private final AssertionCache assertions = new AssertionCache();

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ProxymeRealmResourceProvider(session, assertions);
    }

    @Override
    public String getId() {
        return Proxyme.PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = ProxymeSettings.read(config);
        tokensPerDelegation = new RateLimit(settings.maxTokensPerDelegationPerMinute());
        requestsPerAgent = new RateLimit(settings.maxRequestsPerAgentPerMinute());
        ProxymeMetrics.enable(config.getBoolean("metrics", true));
    }

    @Override
    public ProxymeSettings settings() {
        return settings;
    }

    @Override
    public RateLimit tokensPerDelegation() {
        return tokensPerDelegation;
    }

    @Override
    public RateLimit requestsPerAgent() {
        return requestsPerAgent;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
