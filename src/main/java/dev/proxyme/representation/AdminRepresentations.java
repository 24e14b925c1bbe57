package dev.proxyme.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditEntry;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.IssuedToken;

/** What Proxyme's admin API answers. Times are epoch milliseconds. */
public final class AdminRepresentations {

    private AdminRepresentations() {}

    /** One delegation with its whole audit trail, oldest first. */
    public record DelegationWithAudit(
            @JsonProperty("delegation") AdminDelegation delegation,
            @JsonProperty("audit") List<AuditEntryRepresentation> audit) {}

    /** One entry of a delegation's trail: an audit row, or a token's record (action TOKEN_ISSUED, with its id). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditEntryRepresentation(
            @JsonProperty("time") long time,
            @JsonProperty("action") String action,
            @JsonProperty("user_id") String userId,
            @JsonProperty("agent_id") String agentId,
            @JsonProperty("portal") String portal,
            @JsonProperty("actor_type") String actorType,
            @JsonProperty("actor_id") String actorId,
            @JsonProperty("source_address") String sourceAddress,
            @JsonProperty("detail") String detail,
            @JsonProperty("token_id") String tokenId,
            @JsonProperty("scope") String scope,
            @JsonProperty("expires_at") Long expiresAt) {

        public static AuditEntryRepresentation of(AuditEntry entry) {
            var record = entry.record();
            return new AuditEntryRepresentation(
                    entry.time(),
                    record.action().name(),
                    record.userId(),
                    record.agentClientId(),
                    record.portalClientId(),
                    record.actor().type().name(),
                    record.actor().id(),
                    entry.sourceAddress(),
                    record.detail(),
                    null,
                    null,
                    null);
        }

        public static AuditEntryRepresentation of(IssuedToken token, Delegation delegation) {
            return new AuditEntryRepresentation(
                    token.issuedAtMillis(),
                    AuditAction.TOKEN_ISSUED.name(),
                    delegation.userId(),
                    delegation.agentClientId(),
                    delegation.portalClientId(),
                    token.actor().type().name(),
                    token.actor().id(),
                    token.sourceAddress(),
                    null,
                    token.tokenId(),
                    token.scope(),
                    token.expiresAt());
        }
    }

    /** An agent with what it may ask for and how many delegations it has, by status. */
    public record AgentSummary(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("name") String name,
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("scopes") List<String> scopes,
            @JsonProperty("portals") List<String> portals,
            @JsonProperty("any_portal") boolean anyPortal,
            @JsonProperty("token_lifetime_seconds") int tokenLifetimeSeconds,
            @JsonProperty("active") long active,
            @JsonProperty("revoked") long revoked,
            @JsonProperty("expired") long expired) {}
}
