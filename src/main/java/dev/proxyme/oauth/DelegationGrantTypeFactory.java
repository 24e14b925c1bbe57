package dev.proxyme.oauth;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

import dev.proxyme.Proxyme;

/**
 * Registers the grant type that tags delegation tokens, and renews them at the realm's token endpoint. Keycloak writes
 * the grant's shortcut into each token's id and, at its own Admin, Account and broker endpoints, asks the grant
 * whether the token is allowed there.
 */
public class DelegationGrantTypeFactory implements OAuth2GrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new DelegationGrantType();
    }

    @Override
    public String getId() {
        return Proxyme.GRANT_TYPE;
    }

    @Override
    public String getShortcut() {
        return Proxyme.GRANT_SHORTCUT;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
