package dev.proxyme.store.jpa;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

public class ProxymeJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(DelegationEntity.class, IssuedTokenEntity.class, AuditEntity.class, ActivityEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/proxyme-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ProxymeJpaEntityProviderFactory.ID;
    }

    @Override
    public void close() {}
}
