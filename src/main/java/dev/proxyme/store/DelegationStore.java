package dev.proxyme.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Proxyme's rows in the realm's database, through the request's own JPA transaction. */
public class DelegationStore {

    private final EntityManager em;

    public DelegationStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public void insert(DelegationEntity delegation) {
        em.persist(delegation);
    }

    public Optional<DelegationEntity> find(String realmId, String delegationId) {
        return Optional.ofNullable(em.find(DelegationEntity.class, delegationId))
                .filter(delegation -> delegation.getRealmId().equals(realmId));
    }

    /**
     * Reads the delegation holding its row lock until the request's transaction ends. Minting and revoking both take
     * this lock, so a token minted while a revocation runs is either seen by the revocation's sweep or refused.
     */
    public Optional<DelegationEntity> lock(String realmId, String delegationId) {
        return Optional.ofNullable(em.find(DelegationEntity.class, delegationId, LockModeType.PESSIMISTIC_WRITE))
                .filter(delegation -> delegation.getRealmId().equals(realmId));
    }

    /**
     * Locks a delegation this transaction has already read, and reloads it: the earlier read must not hide a change
     * committed before the lock was granted.
     */
    public DelegationEntity lock(DelegationEntity alreadyRead) {
        em.refresh(alreadyRead, LockModeType.PESSIMISTIC_WRITE);
        return alreadyRead;
    }

    public List<DelegationEntity> findActive(String realmId, String userId, String agentClientId, String portalClientId,
                                             long nowMillis) {
        return em.createNamedQuery("proxyme.activeDelegationsOfUserToAgent", DelegationEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("userId", userId)
                .setParameter("agentClientId", agentClientId)
                .setParameter("portalClientId", portalClientId)
                .setParameter("now", nowMillis)
                .getResultList();
    }

    /** Active delegations of a user to an agent, whatever the portal and including those past their end time. */
    public List<DelegationEntity> findActive(String realmId, String userId, String agentClientId) {
        return em.createNamedQuery("proxyme.activeDelegationsOfUserToAnyPortal", DelegationEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("userId", userId)
                .setParameter("agentClientId", agentClientId)
                .getResultList();
    }

    public List<DelegationEntity> findActiveOfUser(String realmId, String userId) {
        return em.createNamedQuery("proxyme.activeDelegationsOfUser", DelegationEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).getResultList();
    }

    public List<DelegationEntity> findActiveOfAgent(String realmId, String agentClientId) {
        return em.createNamedQuery("proxyme.activeDelegationsOfAgent", DelegationEntity.class)
                .setParameter("realmId", realmId).setParameter("agentClientId", agentClientId).getResultList();
    }

    public List<DelegationEntity> findActiveOfSession(String sessionId) {
        return em.createNamedQuery("proxyme.activeDelegationsOfSession", DelegationEntity.class)
                .setParameter("sessionId", sessionId).getResultList();
    }

    public List<DelegationEntity> findActiveGrantedInSessions(String realmId) {
        return em.createNamedQuery("proxyme.activeDelegationsGrantedInSessions", DelegationEntity.class)
                .setParameter("realmId", realmId).getResultList();
    }

    public List<DelegationEntity> findPastTheirEnd(long nowMillis, int limit) {
        return em.createNamedQuery("proxyme.delegationsPastTheirEnd", DelegationEntity.class)
                .setParameter("now", nowMillis).setMaxResults(limit).getResultList();
    }

    /** A user's active delegations and those that ended since the given time, newest first. */
    public List<DelegationEntity> findOfUser(String realmId, String userId, long endedSinceMillis) {
        return em.createNamedQuery("proxyme.delegationsOfUserSince", DelegationEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .setParameter("endedSince", endedSinceMillis).getResultList();
    }

    /** Administrators' search; every criterion may be null. Newest first. */
    public List<DelegationEntity> search(String realmId, DelegationQuery query) {
        Map<String, Object> equal = new LinkedHashMap<>();
        equal.put("userId", query.userId());
        equal.put("agentClientId", query.agentClientId());
        equal.put("portalClientId", query.portalClientId());
        equal.put("status", query.status());
        equal.values().removeIf(Objects::isNull);
        StringBuilder jpql = new StringBuilder("select d from DelegationEntity d where d.realmId = :realmId");
        equal.keySet().forEach(field -> jpql.append(" and d.").append(field).append(" = :").append(field));
        if (query.createdFrom() != null) {
            jpql.append(" and d.createdAt >= :createdFrom");
        }
        if (query.createdTo() != null) {
            jpql.append(" and d.createdAt < :createdTo");
        }
        var typed = em.createQuery(jpql.append(" order by d.createdAt desc, d.id").toString(), DelegationEntity.class)
                .setParameter("realmId", realmId);
        equal.forEach(typed::setParameter);
        if (query.createdFrom() != null) {
            typed.setParameter("createdFrom", query.createdFrom());
        }
        if (query.createdTo() != null) {
            typed.setParameter("createdTo", query.createdTo());
        }
        return typed.setFirstResult(query.first()).setMaxResults(query.max()).getResultList();
    }

    /** Counts of delegations per agent and status: agent client id, status, count. */
    public List<Object[]> countByAgent(String realmId) {
        return em.createNamedQuery("proxyme.countDelegationsByAgent", Object[].class)
                .setParameter("realmId", realmId).getResultList();
    }

    public int deleteExpiredTokens(long nowSeconds) {
        return em.createNamedQuery("proxyme.deleteExpiredTokens").setParameter("now", nowSeconds).executeUpdate();
    }

    public int deleteAuditBefore(long beforeMillis) {
        return em.createNamedQuery("proxyme.deleteAuditBefore").setParameter("before", beforeMillis).executeUpdate();
    }

    /** Everything Proxyme stored for a realm: its tables are not part of Keycloak's realm model. */
    public void deleteRealm(String realmId) {
        em.createNamedQuery("proxyme.deleteTokensOfRealm").setParameter("realmId", realmId).executeUpdate();
        em.createNamedQuery("proxyme.deleteDelegationsOfRealm").setParameter("realmId", realmId).executeUpdate();
        em.createNamedQuery("proxyme.deleteAuditOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    public void insert(IssuedTokenEntity token) {
        em.persist(token);
    }

    public List<IssuedTokenEntity> findUnexpiredTokens(String delegationId, long nowSeconds) {
        return em.createNamedQuery("proxyme.unexpiredTokensOfDelegation", IssuedTokenEntity.class)
                .setParameter("delegationId", delegationId)
                .setParameter("now", nowSeconds)
                .getResultList();
    }

    public void insert(AuditEntity audit) {
        em.persist(audit);
    }

    public List<AuditEntity> findAudit(String realmId, String delegationId) {
        return em.createNamedQuery("proxyme.auditOfDelegation", AuditEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("delegationId", delegationId)
                .getResultList();
    }
}
