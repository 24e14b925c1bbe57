package dev.proxyme.delegation;

import dev.proxyme.store.DelegationEntity;

/** A delegation as the rest of Proxyme sees it: user to agent, one portal, some scopes, until an end time. */
public record Delegation(String id, String userId, String agentClientId, String portalClientId, Scopes scopes,
                         DelegationStatus status, long createdAtMillis, long expiresAtMillis, String endReason) {

    public static Delegation of(DelegationEntity entity) {
        return new Delegation(entity.getId(), entity.getUserId(), entity.getAgentClientId(), entity.getPortalClientId(),
                Scopes.parse(entity.getScopes()), DelegationStatus.valueOf(entity.getStatus()), entity.getCreatedAt(),
                entity.getExpiresAt(), entity.getEndReason());
    }

    public boolean isActiveAt(long nowMillis) {
        return status == DelegationStatus.ACTIVE && expiresAtMillis > nowMillis;
    }
}
