package dev.proxyme.representation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.models.RealmModel;

import dev.proxyme.clients.Agent;
import dev.proxyme.clients.ClientNames;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.TokenUsage;

/**
 * A delegation as its user reads it (the self-service API and page): whom it is to (and whether anyone vouches for
 * that agent's name) and for, when it was granted, when it ends or how it ended, how much it was used. Times are epoch milliseconds; what it has none of is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserDelegation(
        @JsonProperty("id") String id,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("agent_name") String agentName,
        @JsonProperty("agent_not_verified") Boolean agentNotVerified,
        @JsonProperty("agent_vouched_by") String agentVouchedBy,
        @JsonProperty("portal") String portal,
        @JsonProperty("portal_name") String portalName,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("purpose") String purpose,
        @JsonProperty("status") String status,
        @JsonProperty("granted_at") long grantedAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("ended_at") Long endedAt,
        @JsonProperty("end_reason") String endReason,
        @JsonProperty("tokens_issued") long tokensIssued,
        @JsonProperty("last_used_at") Long lastUsedAt,
        @JsonProperty("grant_flow") String grantFlow,
        @JsonProperty("dpop_jkt") String dpopJkt,
        @JsonProperty("envelope") Map<String, Object> envelope) {

    public static UserDelegation of(RealmModel realm, Delegation delegation, TokenUsage usage) {
        Optional<Agent> agent = Optional.ofNullable(realm.getClientByClientId(delegation.agentClientId()))
                .flatMap(Agent::of);
        return new UserDelegation(
                delegation.id(),
                delegation.agentClientId(),
                ClientNames.displayName(realm, delegation.agentClientId()),
                agent.filter(Agent::selfRegistered)
                        .map(registeredItself -> true)
                        .orElse(null),
                agent.flatMap(Agent::documentHost).orElse(null),
                delegation.portalClientId(),
                ClientNames.displayName(realm, delegation.portalClientId()),
                List.copyOf(delegation.scopes().names()),
                delegation.purpose(),
                delegation.status().label(),
                delegation.createdAt(),
                delegation.expiresAt(),
                delegation.endedAt(),
                delegation.endReason(),
                usage.tokensIssued(),
                usage.lastIssuedAt(),
                delegation.grantFlow(),
                delegation.dpopJkt(),
                EnvelopeClaim.of(delegation));
    }
}
