package dev.proxyme.oauth;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/**
 * Takes the id of Keycloak's access-token introspection provider. Keycloak's {@code ProviderManager} lets a custom
 * factory override a built-in one of the same id, so the standard introspection endpoint runs
 * {@link DelegationIntrospectionProvider} for every {@code access_token} (the default token type hint).
 */
public class DelegationIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new DelegationIntrospectionProvider(session);
    }

    @Override
    public String getId() {
        return AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
