package dev.proxyme.store.jpa;

import dev.proxyme.model.Actor;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;

/** A delegation as its row holds it, and back: the one place a field of a delegation meets its column. */
final class DelegationMapping {

    private DelegationMapping() {}

    static DelegationEntity toEntity(Delegation delegation) {
        DelegationEntity entity = new DelegationEntity();
        entity.setId(delegation.id());
        entity.setRealmId(delegation.realmId());
        entity.setUserId(delegation.userId());
        entity.setAgentClientId(delegation.agentClientId());
        entity.setPortalClientId(delegation.portalClientId());
        entity.setScopes(delegation.scopes().toString());
        entity.setStatus(delegation.status());
        entity.setCreatedAt(delegation.createdAt());
        entity.setExpiresAt(delegation.expiresAt());
        entity.setGrantedByType(delegation.grantedBy().type().name());
        entity.setGrantedById(delegation.grantedBy().id());
        entity.setPurpose(delegation.purpose());
        entity.setGrantedSessionId(delegation.grantedSessionId());
        entity.setGrantFlow(delegation.grantFlow());
        entity.setDpopJkt(delegation.dpopJkt());
        entity.setEnvelope(delegation.envelope().toJson());
        entity.setCallsUsed(0);
        return entity;
    }

    static Delegation toModel(DelegationEntity entity) {
        return Delegation.builder()
                .id(entity.getId())
                .realmId(entity.getRealmId())
                .userId(entity.getUserId())
                .agentClientId(entity.getAgentClientId())
                .portalClientId(entity.getPortalClientId())
                .scopes(Scopes.parse(entity.getScopes()))
                .status(entity.getStatus())
                .createdAt(entity.getCreatedAt())
                .expiresAt(entity.getExpiresAt())
                .endedAt(entity.getEndedAt())
                .endReason(entity.getEndReason())
                .grantedBy(new Actor(Actor.Type.valueOf(entity.getGrantedByType()), entity.getGrantedById()))
                .purpose(entity.getPurpose())
                .grantedSessionId(entity.getGrantedSessionId())
                .grantFlow(entity.getGrantFlow())
                .dpopJkt(entity.getDpopJkt())
                .envelope(Envelope.fromJson(entity.getEnvelope()))
                .callsUsed(entity.getCallsUsed() == null ? 0 : entity.getCallsUsed())
                .build();
    }
}
