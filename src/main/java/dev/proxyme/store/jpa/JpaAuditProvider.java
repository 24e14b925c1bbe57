package dev.proxyme.store.jpa;

import java.util.List;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import org.keycloak.models.RealmModel;

import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditEntry;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.store.AuditProvider;

/** {@link AuditProvider} on Keycloak's JPA connection. */
public class JpaAuditProvider implements AuditProvider {

    private final EntityManager em;

    public JpaAuditProvider(EntityManager em) {
        this.em = em;
    }

    @Override
    public void add(RealmModel realm, AuditEntry entry) {
        AuditRecord record = entry.record();
        AuditEntity entity = new AuditEntity();
        entity.setId(UUID.randomUUID().toString());
        entity.setRealmId(realm.getId());
        entity.setEventTime(entry.time());
        entity.setAction(record.action().name());
        // Refusals record what was asked, which may be any string: fit each to its column, never fail the write.
        entity.setDelegationId(fit(record.delegationId(), 36));
        entity.setUserId(fit(record.userId(), 36));
        entity.setAgentClientId(fit(record.agentClientId(), 255));
        entity.setPortalClientId(fit(record.portalClientId(), 255));
        entity.setActorType(record.actor().type().name());
        entity.setActorId(fit(record.actor().id(), 255));
        entity.setSourceAddress(fit(entry.sourceAddress(), 64));
        entity.setDetail(fit(record.detail(), 1024));
        em.persist(entity);
    }

    @Override
    public List<AuditEntry> findOfDelegation(RealmModel realm, String delegationId) {
        return em.createNamedQuery("proxyme.auditOfDelegation", AuditEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("delegationId", delegationId)
                .getResultStream()
                .map(JpaAuditProvider::toModel)
                .toList();
    }

    @Override
    public int purgeBefore(long timeMillis) {
        return em.createNamedQuery("proxyme.deleteAuditBefore")
                .setParameter("before", timeMillis)
                .executeUpdate();
    }

    @Override
    public void removeRealm(RealmModel realm) {
        em.createNamedQuery("proxyme.deleteAuditOfRealm")
                .setParameter("realmId", realm.getId())
                .executeUpdate();
    }

    @Override
    public void close() {}

    private static AuditEntry toModel(AuditEntity entity) {
        AuditRecord record = new AuditRecord(
                AuditAction.valueOf(entity.getAction()),
                entity.getDelegationId(),
                entity.getUserId(),
                entity.getAgentClientId(),
                entity.getPortalClientId(),
                null,
                new Actor(Actor.Type.valueOf(entity.getActorType()), entity.getActorId()),
                entity.getDetail());
        return new AuditEntry(entity.getEventTime(), record, entity.getSourceAddress());
    }

    private static String fit(String value, int columnLength) {
        return value == null || value.length() <= columnLength ? value : value.substring(0, columnLength);
    }
}
