package dev.proxyme.store;

import java.util.List;
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
