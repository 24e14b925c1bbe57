package dev.proxyme;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * What one Keycloak node holds for Proxyme: the options it was started with and the per-node limits on what an agent
 * can make it write. Owned by the factory of Proxyme's realm resource provider, which reads the options of its SPI scope
 * ({@link ProxymeSettings#scope()}) once at start; the other providers reach it through the session factory, as
 * Keycloak's own providers reach each other's factories.
 */
public interface ProxymeNode {

    ProxymeSettings settings();

    /** Tokens minted under one delegation per minute on this node, whatever the grant. */
    RateLimit tokensPerDelegation();

    /** Delegation requests accepted from one agent per minute on this node. */
    RateLimit requestsPerAgent();

    static ProxymeNode of(KeycloakSession session) {
        return of(session.getKeycloakSessionFactory());
    }

    static ProxymeNode of(KeycloakSessionFactory factory) {
        return (ProxymeNode) factory.getProviderFactory(RealmResourceProvider.class, Proxyme.PROVIDER_ID);
    }
}
