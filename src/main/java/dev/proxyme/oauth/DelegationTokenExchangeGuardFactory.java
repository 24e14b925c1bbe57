package dev.proxyme.oauth;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/**
 * Keycloak's token-exchange grant asks its providers in descending {@link #order()} and lets the first that supports
 * the request answer it: ahead of Keycloak's standard (order 10) and legacy exchanges, the guard sees every exchange.
 */
public class DelegationTokenExchangeGuardFactory implements TokenExchangeProviderFactory {

    public static final String ID = "proxyme-delegation-guard";
    private static final DelegationTokenExchangeGuard GUARD = new DelegationTokenExchangeGuard();

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return GUARD;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public int order() {
        return 1_000_000;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
