package dev.proxyme.store.jpa;

import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import dev.proxyme.store.DelegationProvider;
import dev.proxyme.store.DelegationProviderFactory;

public class JpaDelegationProviderFactory implements DelegationProviderFactory {

    @Override
    public DelegationProvider create(KeycloakSession session) {
        return new JpaDelegationProvider(
                session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    @Override
    public String getId() {
        return "jpa";
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
