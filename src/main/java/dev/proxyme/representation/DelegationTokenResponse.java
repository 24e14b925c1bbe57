package dev.proxyme.representation;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.common.util.Time;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.MintedToken;

public record DelegationTokenResponse(
        @JsonProperty("delegation_token") String delegationToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope,
        @JsonProperty("portal") String portal,
        @JsonProperty("delegation_id") String delegationId) {

    /** The first service's answer: the token just minted under the delegation. */
    public static DelegationTokenResponse of(MintedToken token, Delegation delegation) {
        return new DelegationTokenResponse(
                token.encoded(),
                token.tokenType(),
                Math.max(0, token.expiresAt() - Time.currentTime()),
                token.scope(),
                delegation.portalClientId(),
                delegation.id());
    }
}
