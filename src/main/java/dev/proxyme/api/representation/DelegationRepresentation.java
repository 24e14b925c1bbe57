package dev.proxyme.api.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxyme.delegation.Scopes;
import dev.proxyme.store.AuditEntity;
import dev.proxyme.store.DelegationEntity;

/** A delegation as administrators see it (its user sees {@code UserDelegation}). Times are epoch milliseconds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DelegationRepresentation(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("portal") String portal,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("status") String status,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("ended_at") Long endedAt,
        @JsonProperty("end_reason") String endReason,
        @JsonProperty("granted_by") String grantedBy,
        @JsonProperty("tokens_issued") int tokensIssued,
        @JsonProperty("last_token_at") Long lastTokenAt) {

    public static DelegationRepresentation of(DelegationEntity entity) {
        return new DelegationRepresentation(entity.getId(), entity.getUserId(), entity.getAgentClientId(),
                entity.getPortalClientId(), List.copyOf(Scopes.parse(entity.getScopes()).names()), entity.getStatus(),
                entity.getCreatedAt(), entity.getExpiresAt(), entity.getEndedAt(), entity.getEndReason(),
                entity.getGrantedByType() + (entity.getGrantedById() == null ? "" : ":" + entity.getGrantedById()),
                entity.getTokensIssued(), entity.getLastTokenAt());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditEntry(
            @JsonProperty("time") long time,
            @JsonProperty("action") String action,
            @JsonProperty("user_id") String userId,
            @JsonProperty("agent_id") String agentId,
            @JsonProperty("portal") String portal,
            @JsonProperty("actor_type") String actorType,
            @JsonProperty("actor_id") String actorId,
            @JsonProperty("source_address") String sourceAddress,
            @JsonProperty("detail") String detail) {

        public static AuditEntry of(AuditEntity entity) {
            return new AuditEntry(entity.getEventTime(), entity.getAction(), entity.getUserId(), entity.getAgentClientId(),
                    entity.getPortalClientId(), entity.getActorType(), entity.getActorId(), entity.getSourceAddress(),
                    entity.getDetail());
        }
    }

    public record WithAudit(@JsonProperty("delegation") DelegationRepresentation delegation,
                            @JsonProperty("audit") List<AuditEntry> audit) {
    }
}
