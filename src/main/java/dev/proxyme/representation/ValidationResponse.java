package dev.proxyme.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.representations.AccessToken;
import org.keycloak.util.TokenUtil;

import dev.proxyme.model.Scopes;
import dev.proxyme.token.DelegationTokenVerifier;

/**
 * The first service's answer: {@code {"valid": false}} alone, or the token's parties when valid, with what standard
 * introspection says of how the token must be presented: {@code token_type} ({@code Bearer} or {@code DPoP}) and, for
 * a DPoP-bound token, {@code cnf} with its key's thumbprint (RFC 9449 section 6.2), whose proof the caller must check.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationResponse(
        @JsonProperty("valid") boolean valid,
        @JsonProperty("user_id") String userId,
        @JsonProperty("username") String username,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("portal") String portal,
        @JsonProperty("delegation_id") String delegationId,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("cnf") AccessToken.Confirmation confirmation) {

    public static final ValidationResponse INVALID =
            new ValidationResponse(false, null, null, null, null, null, null, null, null, null);

    public static ValidationResponse of(DelegationTokenVerifier.VerifiedToken verified) {
        AccessToken token = verified.token();
        return new ValidationResponse(
                true,
                verified.user().getId(),
                verified.user().getUsername(),
                verified.agent().getClientId(),
                List.copyOf(Scopes.parse(token.getScope()).names()),
                verified.delegation().portalClientId(),
                verified.delegation().id(),
                token.getExp(),
                token.getType() == null ? TokenUtil.TOKEN_TYPE_BEARER : token.getType(),
                token.getConfirmation());
    }
}
