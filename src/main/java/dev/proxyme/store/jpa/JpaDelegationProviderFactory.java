package dev.proxyme.store.jpa;

import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.metrics.ProxymeMetrics;
import dev.proxyme.model.DelegationStatus;
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

    /** The gauge of active delegations: one count on the delegations' expiry index, only when it is scraped. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ProxymeMetrics.activeDelegations(() -> KeycloakModelUtils.runJobInTransactionWithResult(
                factory,
                session -> session.getProvider(JpaConnectionProvider.class)
                        .getEntityManager()
                        .createNamedQuery("proxyme.countActiveDelegations", Long.class)
                        .setParameter("active", DelegationStatus.ACTIVE)
                        .setParameter("now", Time.currentTimeMillis())
                        .getSingleResult()));
    }

    @Override
    public void close() {}
}
