package dev.proxyme.store.jpa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.model.ActivityEntry;
import dev.proxyme.model.RouteCount;
import dev.proxyme.store.ActivityProvider;

/** {@link ActivityProvider} on Keycloak's JPA connection; recording goes through the factory's write-behind queue. */
public class JpaActivityProvider implements ActivityProvider {

    private final KeycloakSession session;
    private final JpaActivityProviderFactory factory;

    JpaActivityProvider(KeycloakSession session, JpaActivityProviderFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    /** Only reads and writes need the database: recording, on every proxy check, only queues. */
    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    @Override
    public void record(ActivityEntry entry) {
        factory.enqueue(entry);
    }

    /**
     * Writes a batch in the caller's transaction, one row per route, decision and node of a delegation with the count of
     * its requests: under load an agent repeats itself, and a row per request would outgrow everything else stored.
     */
    void write(List<ActivityEntry> batch) {
        EntityManager em = em();
        Map<ActivityEntry.Route, ActivityEntry> rows = new LinkedHashMap<>();
        for (ActivityEntry entry : batch) {
            rows.merge(entry.route(), entry, ActivityEntry::plus);
        }
        for (ActivityEntry entry : rows.values()) {
            ActivityEntity entity = new ActivityEntity();
            entity.setId(UUID.randomUUID().toString());
            entity.setRealmId(entry.realmId());
            entity.setDelegationId(entry.delegationId());
            entity.setTime(entry.time());
            entity.setFirstTime(entry.firstTime());
            entity.setCount(entry.count());
            entity.setMethod(entry.method());
            entity.setPath(entry.path());
            entity.setAllowed(entry.allowed());
            entity.setReason(entry.reason());
            entity.setNode(entry.node());
            em.persist(entity);
        }
    }

    @Override
    public List<ActivityEntry> find(RealmModel realm, String delegationId, Long from, Long to, int first, int max) {
        // What this node has queued is written first: a reader sees every request decided here before it asked.
        factory.flush();
        return em().createNamedQuery("proxyme.activityOfDelegation", ActivityEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("delegationId", delegationId)
                .setParameter("from", from == null ? Long.MIN_VALUE : from)
                .setParameter("to", to == null ? Long.MAX_VALUE : to)
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultStream()
                .map(entity -> new ActivityEntry(
                        entity.getRealmId(),
                        entity.getDelegationId(),
                        entity.getFirstTime(),
                        entity.getTime(),
                        entity.getMethod(),
                        entity.getPath(),
                        entity.isAllowed(),
                        entity.getReason(),
                        entity.getNode(),
                        entity.getCount()))
                .toList();
    }

    @Override
    public List<RouteCount> countByRoute(RealmModel realm, String delegationId, Long from, Long to) {
        factory.flush();
        return em().createNamedQuery("proxyme.activityCountsOfDelegation", Object[].class)
                .setParameter("realmId", realm.getId())
                .setParameter("delegationId", delegationId)
                .setParameter("from", from == null ? Long.MIN_VALUE : from)
                .setParameter("to", to == null ? Long.MAX_VALUE : to)
                .setMaxResults(100)
                .getResultStream()
                .map(row -> new RouteCount(
                        (String) row[0], (String) row[1], (Boolean) row[2], ((Number) row[3]).longValue()))
                .toList();
    }

    @Override
    public int purgeBefore(long timeMillis) {
        return em().createNamedQuery("proxyme.deleteActivityBefore")
                .setParameter("before", timeMillis)
                .executeUpdate();
    }

    @Override
    public void removeRealm(RealmModel realm) {
        em().createNamedQuery("proxyme.deleteActivityOfRealm")
                .setParameter("realmId", realm.getId())
                .executeUpdate();
    }
}
