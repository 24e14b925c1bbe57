package dev.proxyme.store.jpa;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers Proxyme's tables (entities and Liquibase changelog) with the realm's database. */
public class ProxymeJpaEntityProviderFactory implements JpaEntityProviderFactory {

    // Keycloak names the changelog's tracking table after this id's first letters: keep it stable.
    public static final String ID = "proxyme-entities";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return new ProxymeJpaEntityProvider();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
