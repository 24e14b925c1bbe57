package dev.proxyme.representation;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.TokenUsage;

/**
 * A delegation as administrators read it (the admin API): its parties by id, who granted it, when it was created,
 * ended and last had a token. Times are epoch milliseconds; what it has none of is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminDelegation(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("portal") String portal,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("purpose") String purpose,
        @JsonProperty("status") String status,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("ended_at") Long endedAt,
        @JsonProperty("end_reason") String endReason,
        @JsonProperty("granted_by") String grantedBy,
        @JsonProperty("tokens_issued") long tokensIssued,
        @JsonProperty("last_token_at") Long lastTokenAt,
        @JsonProperty("grant_flow") String grantFlow,
        @JsonProperty("dpop_jkt") String dpopJkt,
        @JsonProperty("envelope") Map<String, Object> envelope) {

    public static AdminDelegation of(Delegation delegation, TokenUsage usage) {
        return new AdminDelegation(
                delegation.id(),
                delegation.userId(),
                delegation.agentClientId(),
                delegation.portalClientId(),
                List.copyOf(delegation.scopes().names()),
                delegation.purpose(),
                delegation.status().name(),
                delegation.createdAt(),
                delegation.expiresAt(),
                delegation.endedAt(),
                delegation.endReason(),
                delegation.grantedBy().toString(),
                usage.tokensIssued(),
                usage.lastIssuedAt(),
                delegation.grantFlow(),
                delegation.dpopJkt(),
                EnvelopeClaim.of(delegation));
    }
}
