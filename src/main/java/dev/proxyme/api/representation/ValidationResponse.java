package dev.proxyme.api.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxyme.model.Scopes;
import dev.proxyme.token.DelegationTokenVerifier;

/** The first service's answer: {@code {"valid": false}} alone, or the token's parties when valid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationResponse(
        @JsonProperty("valid") boolean valid,
        @JsonProperty("user_id") String userId,
        @JsonProperty("username") String username,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("portal") String portal,
        @JsonProperty("delegation_id") String delegationId,
        @JsonProperty("expires_at") Long expiresAt) {

    public static final ValidationResponse INVALID = new ValidationResponse(false, null, null, null, null, null, null, null);

    public static ValidationResponse of(DelegationTokenVerifier.VerifiedToken verified) {
        return new ValidationResponse(true, verified.user().getId(), verified.user().getUsername(),
                verified.agent().getClientId(), List.copyOf(Scopes.parse(verified.token().getScope()).names()),
                verified.delegation().portalClientId(), verified.delegation().id(), verified.token().getExp());
    }
}
