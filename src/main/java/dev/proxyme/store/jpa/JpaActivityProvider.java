package dev.proxyme.store.jpa;

import java.util.List;

import dev.proxyme.model.ActivityEntry;
import dev.proxyme.model.RouteCount;
import dev.proxyme.store.ActivityProvider;
import jakarta.persistence.EntityManager;
import org.keycloak.models.RealmModel;

/** {@link ActivityProvider} on Keycloak's JPA connection; recording goes through the factory's write-behind queue. */
public class JpaActivityProvider implements ActivityProvider {

    private final EntityManager em;
    private final JpaActivityProviderFactory factory;

    JpaActivityProvider(EntityManager em, JpaActivityProviderFactory factory) {
        this.em = em;
        this.factory = factory;
    }

    @Override
    public void record(ActivityEntry entry) {
        factory.enqueue(entry);
    }

    /** Writes a batch in the caller's transaction. */
    void write(List<ActivityEntry> batch) {
        for (ActivityEntry entry : batch) {
            ActivityEntity entity = new ActivityEntity();
            entity.setId(java.util.UUID.randomUUID().toString());
            entity.setRealmId(entry.realmId());
            entity.setDelegationId(entry.delegationId());
            entity.setTime(entry.time());
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
        return em.createNamedQuery("proxyme.activityOfDelegation", ActivityEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("delegationId", delegationId)
                .setParameter("from", from == null ? Long.MIN_VALUE : from).setParameter("to", to == null ? Long.MAX_VALUE : to)
                .setFirstResult(first).setMaxResults(max).getResultStream()
                .map(entity -> new ActivityEntry(entity.getRealmId(), entity.getDelegationId(), entity.getTime(), entity.getMethod(),
                        entity.getPath(), entity.isAllowed(), entity.getReason(), entity.getNode()))
                .toList();
    }

    @Override
    public List<RouteCount> countByRoute(RealmModel realm, String delegationId, Long from, Long to) {
        factory.flush();
        return em.createNamedQuery("proxyme.activityCountsOfDelegation", Object[].class)
                .setParameter("realmId", realm.getId()).setParameter("delegationId", delegationId)
                .setParameter("from", from == null ? Long.MIN_VALUE : from).setParameter("to", to == null ? Long.MAX_VALUE : to)
                .setMaxResults(100).getResultStream()
                .map(row -> new RouteCount((String) row[0], (String) row[1], (Boolean) row[2], ((Number) row[3]).longValue()))
                .toList();
    }

    @Override
    public int purgeBefore(long timeMillis) {
        return em.createNamedQuery("proxyme.deleteActivityBefore").setParameter("before", timeMillis).executeUpdate();
    }

    @Override
    public void removeRealm(RealmModel realm) {
        em.createNamedQuery("proxyme.deleteActivityOfRealm").setParameter("realmId", realm.getId()).executeUpdate();
    }
}
