package dev.proxyme.api.representation;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.common.util.Time;

import dev.proxyme.delegation.DelegationService;

public record DelegationTokenResponse(
        @JsonProperty("delegation_token") String delegationToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope,
        @JsonProperty("portal") String portal,
        @JsonProperty("delegation_id") String delegationId) {

    public static DelegationTokenResponse of(DelegationService.Grant grant) {
        return new DelegationTokenResponse(
                grant.token().encoded(),
                grant.token().tokenType(),
                Math.max(0, grant.token().expiresAt() - Time.currentTime()),
                grant.token().scope(),
                grant.delegation().portalClientId(),
                grant.delegation().id());
    }
}
