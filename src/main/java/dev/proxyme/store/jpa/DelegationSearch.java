package dev.proxyme.store.jpa;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.keycloak.models.RealmModel;

import dev.proxyme.store.DelegationQuery;

/** An administrator's search of a realm's delegations as one JPQL query: only the criteria given, newest first, paged. */
final class DelegationSearch {

    private DelegationSearch() {}

    static TypedQuery<DelegationEntity> of(EntityManager em, RealmModel realm, DelegationQuery query) {
        Map<String, Object> equal = new LinkedHashMap<>();
        equal.put("userId", query.userId());
        equal.put("agentClientId", query.agentClientId());
        equal.put("portalClientId", query.portalClientId());
        equal.put("status", query.status());
        equal.values().removeIf(Objects::isNull);
        Map<String, Object> parameters = new LinkedHashMap<>(equal);
        StringBuilder jpql = new StringBuilder("select d from DelegationEntity d where d.realmId = :realmId");
        equal.keySet()
                .forEach(field ->
                        jpql.append(" and d.").append(field).append(" = :").append(field));
        if (query.createdFrom() != null) {
            jpql.append(" and d.createdAt >= :createdFrom");
            parameters.put("createdFrom", query.createdFrom());
        }
        if (query.createdTo() != null) {
            jpql.append(" and d.createdAt < :createdTo");
            parameters.put("createdTo", query.createdTo());
        }
        TypedQuery<DelegationEntity> typed = em.createQuery(
                        jpql.append(" order by d.createdAt desc, d.id").toString(), DelegationEntity.class)
                .setParameter("realmId", realm.getId());
        parameters.forEach(typed::setParameter);
        return typed.setFirstResult(query.first()).setMaxResults(query.max());
    }
}
