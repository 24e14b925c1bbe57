package dev.proxyme.store.jpa;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

import org.keycloak.models.RealmModel;
import org.keycloak.models.jpa.entities.UserConsentEntity;
import org.keycloak.models.jpa.entities.UserEntity;

import dev.proxyme.model.Actor;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.model.IssuedToken;
import dev.proxyme.model.TokenUsage;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.store.DelegationQuery;

/** {@link DelegationProvider} on Keycloak's JPA connection: the realm's database, the request's transaction. */
public class JpaDelegationProvider implements DelegationProvider {

    private final EntityManager em;

    public JpaDelegationProvider(EntityManager em) {
        this.em = em;
    }

    @Override
    public void create(Delegation delegation) {
        em.persist(DelegationMapping.toEntity(delegation));
    }

    @Override
    public Optional<Delegation> find(RealmModel realm, String delegationId) {
        return entity(realm, delegationId, LockModeType.NONE).map(DelegationMapping::toModel);
    }

    @Override
    public Optional<Delegation> lock(RealmModel realm, String delegationId) {
        return entity(realm, delegationId, LockModeType.PESSIMISTIC_WRITE).map(locked -> {
            // An earlier read in this transaction must not hide a change committed before the lock was granted.
            em.refresh(locked, LockModeType.PESSIMISTIC_WRITE);
            return DelegationMapping.toModel(locked);
        });
    }

    @Override
    public void lockGrantsOf(RealmModel realm, String userId) {
        em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
    public String bindDpopKey(RealmModel realm, String delegationId, String jkt) {
        em.createQuery(
                        "update DelegationEntity d set d.dpopJkt = :jkt where d.id = :id and d.realmId = :realmId and d.dpopJkt is null")
                .setParameter("jkt", jkt)
                .setParameter("id", delegationId)
                .setParameter("realmId", realm.getId())
                .executeUpdate();
        return em.createQuery("select d.dpopJkt from DelegationEntity d where d.id = :id", String.class)
                .setParameter("id", delegationId)
                .getResultStream()
                .findFirst()
                .orElse(null);
    }

    @Override
    public boolean consumeCall(RealmModel realm, String delegationId, int budget) {
        return em.createQuery(
                                "update DelegationEntity d set d.callsUsed = d.callsUsed + 1"
                                        + " where d.id = :id and d.realmId = :realmId and d.callsUsed < :budget and d.status = :active")
                        .setParameter("id", delegationId)
                        .setParameter("realmId", realm.getId())
                        .setParameter("budget", budget)
                        // An ended delegation counts nothing more: a step-up reads what is left of it under its row
                        // lock.
                        .setParameter("active", DelegationStatus.ACTIVE)
                        .executeUpdate()
                == 1;
    }

    @Override
    public void end(Delegation ended) {
        DelegationEntity entity = em.find(DelegationEntity.class, ended.id());
        entity.setStatus(ended.status());
        entity.setEndedAt(ended.endedAt());
        entity.setEndReason(ended.endReason());
    }

    @Override
    public List<Delegation> findCurrent(
            RealmModel realm, String userId, String agentClientId, String portalClientId, long nowMillis) {
        return list(active("proxyme.activeDelegationsOfUserToAgent")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .setParameter("agentClientId", agentClientId)
                .setParameter("portalClientId", portalClientId)
                .setParameter("now", nowMillis));
    }

    @Override
    public List<Delegation> findActiveOfUserToAgent(RealmModel realm, String userId, String agentClientId) {
        return list(active("proxyme.activeDelegationsOfUserToAnyPortal")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .setParameter("agentClientId", agentClientId));
    }

    @Override
    public List<Delegation> findActiveOfUser(RealmModel realm, String userId) {
        return list(active("proxyme.activeDelegationsOfUser")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId));
    }

    @Override
    public List<Delegation> findActiveOfAgent(RealmModel realm, String agentClientId) {
        return list(active("proxyme.activeDelegationsOfAgent")
                .setParameter("realmId", realm.getId())
                .setParameter("agentClientId", agentClientId));
    }

    @Override
    public boolean inUseSince(RealmModel realm, String agentClientId, long sinceMillis) {
        return em.createNamedQuery("proxyme.countDelegationsOfAgentInUseSince", Long.class)
                        .setParameter("realmId", realm.getId())
                        .setParameter("agentClientId", agentClientId)
                        .setParameter("active", DelegationStatus.ACTIVE)
                        .setParameter("since", sinceMillis)
                        .getSingleResult()
                > 0;
    }

    @Override
    public List<Delegation> findActiveOfSession(String loginSessionId) {
        return list(active("proxyme.activeDelegationsOfSession").setParameter("sessionId", loginSessionId));
    }

    @Override
    public List<Delegation> findActiveGrantedInSessions(RealmModel realm) {
        return list(active("proxyme.activeDelegationsGrantedInSessions").setParameter("realmId", realm.getId()));
    }

    @Override
    public List<Delegation> findOfUser(RealmModel realm, String userId, long endedSinceMillis) {
        return list(active("proxyme.delegationsOfUserSince")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .setParameter("endedSince", endedSinceMillis));
    }

    @Override
    public List<Delegation> search(RealmModel realm, DelegationQuery query) {
        return list(DelegationSearch.of(em, realm, query));
    }

    @Override
    public List<Delegation> findPastTheirEnd(long nowMillis, int max) {
        return list(active("proxyme.delegationsPastTheirEnd")
                .setParameter("now", nowMillis)
                .setMaxResults(max));
    }

    @Override
    public Map<String, Map<DelegationStatus, Long>> countByAgent(RealmModel realm) {
        Map<String, Map<DelegationStatus, Long>> counts = new HashMap<>();
        for (Object[] row : em.createNamedQuery("proxyme.countDelegationsByAgent", Object[].class)
                .setParameter("realmId", realm.getId())
                .getResultList()) {
            counts.computeIfAbsent((String) row[0], agent -> new EnumMap<>(DelegationStatus.class))
                    .put((DelegationStatus) row[1], (Long) row[2]);
        }
        return counts;
    }

    @Override
    public void recordIssuedToken(IssuedToken token) {
        IssuedTokenEntity issued = new IssuedTokenEntity();
        issued.setTokenId(token.tokenId());
        issued.setDelegationId(token.delegationId());
        issued.setIssuedAt(token.issuedAtMillis() / 1000);
        issued.setIssuedTime(token.issuedAtMillis());
        issued.setExpiresAt(token.expiresAt());
        issued.setScope(token.scope());
        issued.setActorType(token.actor().type().name());
        issued.setActorId(token.actor().id());
        issued.setSourceAddress(
                token.sourceAddress() == null || token.sourceAddress().length() <= 64
                        ? token.sourceAddress()
                        : token.sourceAddress().substring(0, 64));
        em.persist(issued);
    }

    @Override
    public List<IssuedToken> findIssuedTokens(String delegationId) {
        return em.createNamedQuery("proxyme.tokensOfDelegation", IssuedTokenEntity.class)
                .setParameter("delegationId", delegationId)
                .getResultStream()
                .map(t -> new IssuedToken(
                        t.getTokenId(),
                        t.getDelegationId(),
                        t.getIssuedTime(),
                        t.getExpiresAt(),
                        t.getScope(),
                        new Actor(
                                t.getActorType() == null ? Actor.Type.AGENT : Actor.Type.valueOf(t.getActorType()),
                                t.getActorId()),
                        t.getSourceAddress()))
                .toList();
    }

    @Override
    public Map<String, TokenUsage> usage(Collection<String> delegationIds) {
        Map<String, TokenUsage> usage = new HashMap<>();
        if (delegationIds.isEmpty()) {
            return usage;
        }
        for (Object[] row : em.createNamedQuery("proxyme.usageOfDelegations", Object[].class)
                .setParameter("delegationIds", delegationIds)
                .getResultList()) {
            usage.put((String) row[0], new TokenUsage((Long) row[1], (Long) row[2]));
        }
        return usage;
    }

    @Override
    public int purgeIssuedTokensBefore(long timeMillis) {
        return em.createNamedQuery("proxyme.deleteTokensIssuedBefore")
                .setParameter("before", timeMillis)
                .executeUpdate();
    }

    @Override
    public void removeRealm(RealmModel realm) {
        em.createNamedQuery("proxyme.deleteTokensOfRealm")
                .setParameter("realmId", realm.getId())
                .executeUpdate();
        em.createNamedQuery("proxyme.deleteDelegationsOfRealm")
                .setParameter("realmId", realm.getId())
                .executeUpdate();
    }

    @Override
    public void removeKeycloakConsents(String userId, String clientInternalId) {
        em.createNamedQuery("userConsentByUserAndClient", UserConsentEntity.class)
                .setParameter("userId", userId)
                .setParameter("clientId", clientInternalId)
                .getResultList()
                .forEach(em::remove);
        em.flush();
    }

    @Override
    public void close() {}

    private Optional<DelegationEntity> entity(RealmModel realm, String delegationId, LockModeType lock) {
        if (delegationId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(DelegationEntity.class, delegationId, lock))
                .filter(delegation -> delegation.getRealmId().equals(realm.getId()));
    }

    private TypedQuery<DelegationEntity> active(String namedQuery) {
        TypedQuery<DelegationEntity> query = em.createNamedQuery(namedQuery, DelegationEntity.class);
        return query.getParameters().stream().anyMatch(p -> "active".equals(p.getName()))
                ? query.setParameter("active", DelegationStatus.ACTIVE)
                : query;
    }

    private static List<Delegation> list(TypedQuery<DelegationEntity> query) {
        return query.getResultStream().map(DelegationMapping::toModel).toList();
    }
}
